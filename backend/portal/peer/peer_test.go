package peer

import (
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
		{"garbage", "127.0.0.1:4000", "nonsense", "127.0.0.1"},
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
