package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"portico/backend/api"
	"portico/backend/pdftest"
)

// from answers a GET as if it came from ip, through the whole handler.
func (p *portal) from(ip, path string) int {
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	p.srv.Config.Handler.ServeHTTP(rec, req)
	return rec.Code
}

// sendSimplePacket sends a one-page packet for Ana to sign and returns its id and her link.
func (p *portal) sendSimplePacket() (id, link string) {
	p.t.Helper()
	pdf := pdftest.Make(pdftest.Letter("Engagement letter"))
	if code := p.sendBlob(pdf, ""); code != http.StatusNoContent {
		p.t.Fatalf("blob: %d", code)
	}
	id = p.sendPacket(api.Packet{ClientID: "c1", Title: "Engagement letter", SHA256: sum(pdf), Size: int64(len(pdf)), Pages: 1,
		Recipients: []api.Recipient{{ID: "a", Name: "Ana Pérez", Email: "ana@example.com"}}, Subject: "Please sign", SentBy: "Sam",
		Fields: []api.Field{{ID: "f1", Type: api.FieldSignature, RecipientID: "a", Box: api.Box{X: .1, Y: .8, W: .3, H: .05}}}}, false)
	_, link = p.signPath("ana@example.com")
	return id, link
}

// Made-up links from one address never keep a real link from opening, from that address
// or any other; they only slow the guesser down.
func TestWorkingLinksOpenWhateverOthersTried(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	_, signLink := p.sendSimplePacket()
	_, text, _ := p.mail("luis@example.com")
	inviteLink := linkRE.FindString(text)
	if inviteLink == "" {
		t.Fatal("no invitation link")
	}
	inviteLink = inviteLink[len(p.srv.URL):]
	const office = "203.0.113.5"
	for i := range LinkTries {
		if code := p.from(office, fmt.Sprintf("/sign/made-up-%d", i)); code != http.StatusNotFound {
			t.Fatalf("made-up link %d: %d", i, code)
		}
	}
	if code := p.from(office, "/sign/one-more"); code != http.StatusTooManyRequests {
		t.Fatalf("after %d made-up links: %d, want 429", LinkTries, code)
	}
	for _, c := range []struct{ ip, path string }{
		{office, signLink}, {office, inviteLink}, {"198.51.100.7", signLink},
		{"127.0.0.1", signLink}, // everyone, behind a proxy portald does not trust
	} {
		if code := p.from(c.ip, c.path); code != http.StatusOK {
			t.Errorf("%s from %s: %d, want 200", c.path, c.ip, code)
		}
	}
	// Behind an untrusted proxy everyone shares loopback: made-up links there lock no one.
	for i := range LinkTries + 5 {
		p.from("127.0.0.1", fmt.Sprintf("/sign/proxy-%d", i))
	}
	if code := p.from("127.0.0.1", signLink); code != http.StatusOK {
		t.Fatalf("a real link behind the proxy: %d", code)
	}
}

// Removing a person's access ends their mailed signing links as well as their sessions.
func TestRemovingAccessEndsSigningLinks(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	p.accept("ana@example.com", "ana-password-12")
	_, link := p.sendSimplePacket()
	b := p.browser()
	if status, body := b.get(link); status != http.StatusOK {
		t.Fatalf("before: %d %s", status, body)
	}
	p.mustPush(op(api.KindPortalRevoke, "c1", api.Revoke{Email: "ana@example.com"}))
	for _, path := range []string{link, link + "/document.pdf"} {
		if status, _ := b.get(path); status != http.StatusNotFound {
			t.Errorf("%s after access was removed: %d, want 404", path, status)
		}
	}
	if status, _ := b.post(link, url.Values{"name": {"Ana Pérez"}, "consent": {"yes"}}); status != http.StatusNotFound {
		t.Errorf("signing after access was removed: %d, want 404", status)
	}
}

// postFrom posts a form as if from ip, with a CSRF cookie and field of its own.
func (p *portal) postFrom(ip, path string, form url.Values) int {
	token := strings.Repeat("t", 43)
	form.Set("csrf", token)
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "portico_csrf", Value: token})
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	p.srv.Config.Handler.ServeHTTP(rec, req)
	return rec.Code
}

// A stranger who knows Ana's email can lock it only from where they are: Ana, elsewhere,
// signs in with her password.
func TestAStrangerCannotLockSomeoneOut(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	p.accept("ana@example.com", "ana-password-12")
	last := 0
	for range SignInTries + 1 {
		last = p.postFrom("203.0.113.5", "/signin", url.Values{"email": {"ana@example.com"}, "password": {"guess"}})
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("the stranger's last guess: %d, want 429", last)
	}
	p.browser().signIn("ana@example.com", "ana-password-12")
}
