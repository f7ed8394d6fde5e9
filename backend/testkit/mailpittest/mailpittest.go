// Package mailpittest runs a real Mailpit (SMTP server + HTTP API) on loopback for tests
// and benchmarks, and reads what it received, as a person reading their mail would.
package mailpittest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/testkit/testtool"
)

// Server is a running Mailpit.
type Server struct {
	SMTPAddr string // host:port
	API      string // http://host:port
	cmd      *exec.Cmd
}

// Start runs Mailpit with its SMTP server on smtpAddr ("" for a free port). Without Mailpit
// the test is skipped, or fails under make test (testtool).
func Start(t testing.TB, smtpAddr string) *Server {
	t.Helper()
	bin := testtool.Need(t, "mailpit", "built into .tools/bin")
	if smtpAddr == "" {
		smtpAddr = FreeAddr(t)
	}
	m := &Server{SMTPAddr: smtpAddr, API: "http://" + FreeAddr(t)}
	// --max 0 keeps every message: benchmarks count thousands.
	m.cmd = exec.Command(bin, "--smtp", smtpAddr, "--listen", strings.TrimPrefix(m.API, "http://"),
		"--database", filepath.Join(t.TempDir(), "mailpit.db"), "--max", "0", "--smtp-max-recipients", "1000",
		"--disable-version-check", "--quiet")
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.cmd.Process.Kill(); m.cmd.Wait() })
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(m.API + "/api/v1/messages?limit=1")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("mailpit did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return m
}

// FreeAddr returns a loopback address nobody listens on.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type Address struct{ Name, Address string }

// Summary is a message in the list.
type Summary struct {
	ID      string
	Subject string
	From    Address
	To      []Address
}

func (m *Server) get(path string, out any) error {
	resp, err := http.Get(m.API + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Messages lists the newest messages (up to 500), newest first.
func (m *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var out struct{ Messages []Summary }
	if err := m.get("/api/v1/messages?limit=500", &out); err != nil {
		t.Fatal(err)
	}
	return out.Messages
}

// Total counts every message received.
func (m *Server) Total() (int, error) {
	var out struct {
		Total int `json:"total"`
	}
	err := m.get("/api/v1/messages?limit=1", &out)
	return out.Total, err
}

// Body returns a message's plain-text and HTML parts.
func (m *Server) Body(t testing.TB, id string) (text, html string) {
	t.Helper()
	var out struct{ Text, HTML string }
	if err := m.get("/api/v1/message/"+url.PathEscape(id), &out); err != nil {
		t.Fatal(err)
	}
	return out.Text, out.HTML
}

// Latest waits up to limit for a message to addr whose subject contains subject, and
// returns the newest such.
func (m *Server) Latest(t testing.TB, addr, subject string, limit time.Duration) Summary {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		for _, s := range m.Messages(t) {
			for _, to := range s.To {
				if strings.EqualFold(to.Address, addr) && strings.Contains(s.Subject, subject) {
					return s
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no mail to %s about %q within %v", addr, subject, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Attachment returns the content of a message's attachment by file name.
func (m *Server) Attachment(t testing.TB, id, name string) string {
	t.Helper()
	var msg struct {
		Attachments []struct{ PartID, FileName string }
	}
	if err := m.get("/api/v1/message/"+url.PathEscape(id), &msg); err != nil {
		t.Fatal(err)
	}
	for _, a := range msg.Attachments {
		if a.FileName == name {
			resp, err := http.Get(m.API + "/api/v1/message/" + url.PathEscape(id) + "/part/" + url.PathEscape(a.PartID))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return string(body)
		}
	}
	t.Fatalf("message %s has no attachment %s", id, name)
	return ""
}
