// Package peer says who is on the other end of a request, for rate limits and the audit log.
package peer

import (
	"net"
	"net/http"
)

// IP is the peer address without its port. portald behind a proxy needs the proxy to be
// trusted explicitly before X-Forwarded-For may count; until then the peer is the key.
func IP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Loopback tells whether ip is this machine. Behind a reverse proxy every request comes from
// loopback, so a limit by address there would lock out everyone at once.
func Loopback(ip string) bool {
	parsed := net.ParseIP(ip)
	return parsed != nil && parsed.IsLoopback()
}
