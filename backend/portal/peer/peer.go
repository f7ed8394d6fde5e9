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
	if host == "" {
		return Unknown
	}
	if !isTrusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		if strings.TrimSpace(hops[i]) == "" {
			continue // no header, or an empty entry: nothing to read
		}
		hop, ok := parseHop(hops[i])
		if !ok {
			// Garbage where a trusted proxy's entry should be: the client is unknown, and
			// must not pass for the proxy (loopback is exempt from per-address limits).
			return Unknown
		}
		if !isTrusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

// Unknown stands for a client whose address a trusted proxy did not give in a form we
// can read; all such clients share one count.
const Unknown = "unknown"

// parseHop reads one X-Forwarded-For entry: an address, with or without a port
// ("203.0.113.5:41234", "[2001:db8::1]:443"), as some proxies write them.
func parseHop(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().String(), true
	}
	if h, _, err := net.SplitHostPort(s); err == nil {
		if a, err := netip.ParseAddr(h); err == nil {
			return a.Unmap().String(), true
		}
	}
	return "", false
}

// Loopback tells whether ip is this machine. Behind a reverse proxy that is not trusted
// every request seems to come from it, and one shared limit would lock out everyone.
func Loopback(ip string) bool {
	parsed := net.ParseIP(ip)
	return parsed != nil && parsed.IsLoopback()
}
