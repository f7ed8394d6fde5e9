// Package peer says who is on the other end of a request, for rate limits and the audit log.
package peer

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
)

// trusted holds the reverse proxies whose X-Forwarded-For counts; set once at start-up.
var trusted atomic.Pointer[[]netip.Prefix]

// Trust parses a comma-separated list of addresses or CIDR ranges (e.g. "127.0.0.1,10.0.0.0/8")
// of reverse proxies in front of portald. Only a request from one of them may name its
// client in X-Forwarded-For; anyone else could make up the header.
func Trust(list string) error {
	var prefixes []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return fmt.Errorf("trusted proxy %q: %w", s, err)
			}
			s = netip.PrefixFrom(a, a.BitLen()).String()
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return fmt.Errorf("trusted proxy %q: %w", s, err)
		}
		prefixes = append(prefixes, p.Masked())
	}
	trusted.Store(&prefixes)
	return nil
}

func isTrusted(ip string) bool {
	list := trusted.Load()
	a, err := netip.ParseAddr(ip)
	if list == nil || err != nil {
		return false
	}
	for _, p := range *list {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// IP is the client's address: the peer's, or, when the peer is a trusted proxy, the
// nearest untrusted address in X-Forwarded-For (read right to left, as proxies append).
func IP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !isTrusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // garbage: stop at the last address we can vouch for
		}
		if !isTrusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

// Loopback tells whether ip is this machine. Behind a reverse proxy that is not trusted
// every request seems to come from it, and one shared limit would lock out everyone.
func Loopback(ip string) bool {
	parsed := net.ParseIP(ip)
	return parsed != nil && parsed.IsLoopback()
}
