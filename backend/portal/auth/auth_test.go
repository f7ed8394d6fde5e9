package auth

import (
	"bytes"
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	ArgonMemory, ArgonTime = 1024, 1
	hash, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=1024,t=1,p=2$") {
		t.Fatalf("hash %q is not PHC argon2id", hash)
	}
	again, _ := HashPassword("correct horse battery")
	if again == hash {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name, hash, password string
		ok                   bool
		wantErr              bool
	}{
		{"right password", hash, "correct horse battery", true, false},
		{"wrong password", hash, "correct horse battery!", false, false},
		{"empty password", hash, "", false, false},
		{"bcrypt hash", "$2a$10$abcdefghijklmnopqrstuv", "x", false, true},
		{"truncated hash", hash[:20], "x", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := CheckPassword(tt.hash, tt.password)
			if ok != tt.ok || (err != nil) != tt.wantErr {
				t.Fatalf("CheckPassword = %v, %v; want %v, err %v", ok, err, tt.ok, tt.wantErr)
			}
		})
	}
}

func TestTokensAreRandomAndHashed(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || bytes.Equal(ha, hb) {
		t.Fatal("two tokens are equal")
	}
	if len(a) < 43 { // 256 bits in base64url
		t.Fatalf("token %q is too short", a)
	}
	if !bytes.Equal(HashToken(a), ha) {
		t.Fatal("HashToken does not match the hash NewToken gave")
	}
}

func TestSealer(t *testing.T) {
	key := make([]byte, 32)
	s, err := NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	sealed := s.Seal([]byte("JBSWY3DPEHPK3PXP"), []byte("user-1"))
	if got, err := s.Open(sealed, []byte("user-1")); err != nil || string(got) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, tc := range map[string]struct {
		sealed []byte
		owner  string
	}{"other owner": {sealed, "user-2"}, "tampered": {tampered, "user-1"}, "short": {sealed[:5], "user-1"}} {
		if _, err := s.Open(tc.sealed, []byte(tc.owner)); err != ErrUnsealed {
			t.Errorf("%s: Open err = %v, want ErrUnsealed", name, err)
		}
	}
	if _, err := NewSealer(key[:16]); err == nil {
		t.Error("NewSealer accepted a 16-byte key")
	}
}
