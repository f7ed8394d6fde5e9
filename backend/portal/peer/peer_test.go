package peer

import (
	"net"
	"net/http/httptest"
	"testing"
)

func TestIP(t *testing.T) {
	if err := Trust("127.0.0.1, 10.0.0.0/8"); err != nil {
		t.Fatal(err)
	}
	defer Trust("")
	tests := []struct {
		name, remote, xff, want string
	}{
		{"direct", "203.0.113.5:4000", "", "203.0.113.5"},
		{"untrusted peer cannot claim an address", "203.0.113.5:4000", "198.51.100.1", "203.0.113.5"},
		{"trusted proxy", "127.0.0.1:4000", "198.51.100.1", "198.51.100.1"},
		{"two proxies", "127.0.0.1:4000", "198.51.100.1, 10.1.2.3", "198.51.100.1"},
		{"a client's made-up hop is ignored", "127.0.0.1:4000", "6.6.6.6, 198.51.100.1", "198.51.100.1"},
		// Garbage from a trusted proxy must not make the client look like loopback, which
		// per-address limits exempt.
		{"garbage", "127.0.0.1:4000", "nonsense", Unknown},
		{"an entry with a port", "127.0.0.1:4000", "198.51.100.1:41234", "198.51.100.1"},
		{"an IPv6 entry with a port", "127.0.0.1:4000", "[2001:db8::1]:443", "2001:db8::1"},
		{"a client's garbage behind a real hop", "127.0.0.1:4000", "junk, 198.51.100.1", "198.51.100.1"},
		{"trusted proxy without header", "10.0.0.9:4000", "", "10.0.0.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := IP(r); got != tt.want {
				t.Fatalf("IP = %q, want %q", got, tt.want)
			}
		})
	}
	if err := Trust("not-an-address"); err == nil {
		t.Fatal("Trust accepted garbage")
	}
}

// FuzzIP: whatever a peer and its proxies send, IP answers an address, Unknown, or the
// peer's own remote address, and never loopback unless the peer is loopback.
func FuzzIP(f *testing.F) {
	for _, s := range []string{"198.51.100.1", "6.6.6.6, 198.51.100.1", "[::1]:80", "nonsense", "", ",,,", "127.0.0.1"} {
		f.Add("127.0.0.1:4000", s)
		f.Add("203.0.113.5:4000", s)
	}
	if err := Trust("127.0.0.1, 10.0.0.0/8"); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		got := IP(r)
		if got == "" {
			t.Fatalf("IP(%q, %q) is empty", remote, xff)
		}
		host, _, err := net.SplitHostPort(remote)
		if err != nil {
			host = remote
		}
		if Loopback(got) && !Loopback(host) && !isTrusted(host) {
			t.Fatalf("IP(%q, %q) = %q: an outside peer passed for loopback", remote, xff, got)
		}
	})
}
