package auth

import (
	"bytes"
	"fmt"
	"image/png"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"portico/backend/testkit/testtool"
)

// TestTOTPMatchesOathtool cross-checks codes with Debian's oathtool, an independent
// RFC 6238 implementation.
func TestTOTPMatchesOathtool(t *testing.T) {
	testtool.Need(t, "oathtool", "Debian's oathtool")
	key, err := NewTOTP("Acme CPA Portal", "ann@smith.test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key.URL, "otpauth://totp/Acme%20CPA%20Portal:ann@smith.test?") || !bytes.HasPrefix(key.QRPNG, []byte("\x89PNG")) {
		t.Fatalf("key: %s, %d bytes of QR", key.URL, len(key.QRPNG))
	}
	for _, at := range []int64{59, 1111111109, 1234567890, 2000000000, time.Now().Unix()} {
		out, err := exec.Command("oathtool", "--totp", "-b", key.Secret, "-N", fmt.Sprintf("@%d", at)).Output()
		if err != nil {
			t.Fatal(err)
		}
		code := strings.TrimSpace(string(out))
		step, ok := CheckTOTP(key.Secret, code, time.Unix(at, 0), 0)
		if !ok || step != at/30 {
			t.Fatalf("oathtool's code %s at %d refused (step %d)", code, at, step)
		}
	}
}

func TestTOTPWindowAndReplay(t *testing.T) {
	key, err := NewTOTP("Portal", "a@b.test")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	codeAt := func(offset time.Duration) string {
		out, _ := exec.Command("oathtool", "--totp", "-b", key.Secret, "-N", fmt.Sprintf("@%d", now.Add(offset).Unix())).Output()
		return strings.TrimSpace(string(out))
	}
	testtool.Need(t, "oathtool", "Debian's oathtool")
	tests := []struct {
		name     string
		code     string
		lastStep int64
		ok       bool
	}{
		{"current", codeAt(0), 0, true},
		{"previous step (clock drift)", codeAt(-30 * time.Second), 0, true},
		{"next step", codeAt(30 * time.Second), 0, true},
		{"two steps old", codeAt(-60 * time.Second), 0, false},
		{"reused within its window", codeAt(0), now.Unix() / 30, false},
		{"older than the last used", codeAt(-30 * time.Second), now.Unix() / 30, false},
		{"wrong length", "12345", 0, false},
		{"garbage", "abcdef", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := CheckTOTP(key.Secret, tt.code, now, tt.lastStep); ok != tt.ok {
				t.Fatalf("CheckTOTP(%q) = %v, want %v", tt.code, ok, tt.ok)
			}
		})
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		code, hash := NewCode()
		if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
			t.Fatalf("code %q is not 6 digits", code)
		}
		if !CheckCode(hash, " "+code+" ") || CheckCode(hash, "000000x") {
			t.Fatal("CheckCode")
		}
		seen[code] = true
	}
	if len(seen) < 190 {
		t.Fatalf("only %d distinct codes in 200", len(seen))
	}
	codes, hashes := NewRecoveryCodes(10)
	if len(codes) != 10 || len(codes[0]) != 11 || codes[0][5] != '-' || !CheckCode(hashes[3], codes[3]) {
		t.Fatalf("recovery codes %v", codes)
	}
}

func TestTOTPKeyForShowsTheSameSecret(t *testing.T) {
	k, err := NewTOTP("Firm portal", "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	again, err := TOTPKeyFor("Firm portal", "ana@example.com", k.Secret)
	if err != nil || again.Secret != k.Secret || again.URL != k.URL {
		t.Fatalf("TOTPKeyFor = %+v, %v; want secret %s", again, err, k.Secret)
	}
	if _, err := TOTPKeyFor("x", "y", "not base32!"); err == nil {
		t.Fatal("TOTPKeyFor accepted a bad secret")
	}
}

// An authenticator app shows the firm's name whole, whatever it holds: the QR code's URI
// parses back to the issuer and account it was made for.
func TestTOTPURIKeepsNamesWhole(t *testing.T) {
	for _, issuer := range []string{"Harbor & Finch CPAs", "A+B Tax", "Office #2", "100% Books", "Smith: Tax",
		"Бухгалтерия Иванова", "会計事務所", "Ledger/Sons?"} {
		key, err := NewTOTP(issuer, "ann+tax@example.com")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(key.QRPNG))
		if err != nil {
			t.Fatal(err)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		// The page shows the code alone on white: read as such (the general detector misses
		// one in fifty of any QR code).
		res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
		if err != nil {
			t.Fatalf("%s: reading the QR code: %v", issuer, err)
		}
		if res.GetText() != key.URL {
			t.Fatalf("%s: the QR code holds %q, not %q", issuer, res.GetText(), key.URL)
		}
		u, err := url.Parse(res.GetText())
		if err != nil {
			t.Fatal(err)
		}
		// Apps split the label at its one literal ":", then decode each side.
		rawIssuer, rawAccount, _ := strings.Cut(strings.TrimPrefix(u.EscapedPath(), "/"), ":")
		gotIssuer, _ := url.PathUnescape(rawIssuer)
		gotAccount, _ := url.PathUnescape(rawAccount)
		if u.Scheme != "otpauth" || u.Host != "totp" || gotIssuer != issuer || gotAccount != "ann+tax@example.com" ||
			u.Query().Get("issuer") != issuer || u.Query().Get("secret") != key.Secret {
			t.Errorf("%s: the URI %s reads as issuer %q, account %q, query %v", issuer, key.URL, gotIssuer, gotAccount, u.Query())
		}
		if strings.ContainsAny(strings.SplitN(strings.TrimPrefix(key.URL, "otpauth://totp/"), "?", 2)[0], "&+# ") {
			t.Errorf("%s: %s holds a character apps read differently", issuer, key.URL)
		}
	}
}
