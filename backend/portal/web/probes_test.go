package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/portal/mail"
	"portico/backend/testkit/pdftest"
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

// countingReader counts what a handler read of a body.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// verifyFrom posts a document to /verify as if from ip, with filler bytes after the PDF,
// and says how much of the body the portal read. token "" sends a wrong one; sized sends
// a Content-Length.
func (p *portal) verifyFrom(ip, token, pdf string, filler int, sized bool) (status int, read int64, body string) {
	cookie := strings.Repeat("t", 43)
	if token == "" {
		token = strings.Repeat("x", 43)
	}
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	mw.WriteField("csrf", token)
	fw, _ := mw.CreateFormFile("file", "return.pdf")
	fw.Write([]byte(pdf))
	var tail bytes.Buffer
	tail.WriteString("\r\n--" + mw.Boundary() + "--\r\n")
	all := io.MultiReader(&head, io.LimitReader(zeros{}, int64(filler)), &tail)
	cr := &countingReader{r: all}
	req := httptest.NewRequest("POST", "/verify", cr)
	if sized {
		req.ContentLength = int64(head.Len()+tail.Len()) + int64(filler)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "portico_csrf", Value: cookie})
	req.RemoteAddr = ip + ":40000"
	rec := httptest.NewRecorder()
	p.srv.Config.Handler.ServeHTTP(rec, req)
	return rec.Code, cr.n, rec.Body.String()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// /verify refuses before it reads: a wrong token, a body larger than a document it checks,
// an address over its limit or a full house cost a few kilobytes, not the document.
func TestVerifyRefusesBeforeReading(t *testing.T) {
	p := newPortal(t)
	p.web.Sealing = p.sealer(t)
	ok := strings.Repeat("t", 43)
	const big = 30 << 20
	if status, read, _ := p.verifyFrom("203.0.113.9", "", "%PDF-1.4", big, false); status != http.StatusUnprocessableEntity || read > 1<<20 {
		t.Errorf("a wrong token: %d after reading %d bytes", status, read)
	}
	if status, read, _ := p.verifyFrom("203.0.113.9", ok, "%PDF-1.4", maxVerify+2<<20, true); status != http.StatusRequestEntityTooLarge || read > 0 {
		t.Errorf("a body larger than maxVerify: %d after reading %d bytes", status, read)
	}
	if status, read, body := p.verifyFrom("203.0.113.9", ok, "%PDF-1.4", maxVerify+2<<20, false); status != http.StatusUnprocessableEntity ||
		read > formLimit("/verify")+64<<10 || !strings.Contains(body, "at most 50 MB") {
		t.Errorf("an unsized body larger than maxVerify: %d after reading %d bytes", status, read)
	}
	// All checks busy: the visitor hears so instead of waiting without end.
	VerifyWait = 10 * time.Millisecond
	t.Cleanup(func() { VerifyWait = 10 * time.Second })
	p.web.verifying <- struct{}{}
	p.web.verifying <- struct{}{}
	if status, _, body := p.verifyFrom("203.0.113.10", ok, "%PDF-1.4 not really", 0, true); status != http.StatusServiceUnavailable ||
		!strings.Contains(body, "Try again in a minute") {
		t.Errorf("with every check busy: %d", status)
	}
	<-p.web.verifying
	<-p.web.verifying
	// Checks are limited per address; loopback (a proxy portald does not trust) is not.
	last := 0
	for range VerifyTries + 1 {
		last, _, _ = p.verifyFrom("203.0.113.11", ok, "%PDF-1.4 not really", 0, true)
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("check %d from one address: %d, want 429", VerifyTries+1, last)
	}
	if status, read, _ := p.verifyFrom("203.0.113.11", ok, "%PDF-1.4", big, true); status != http.StatusTooManyRequests || read > 0 {
		t.Errorf("over the limit: %d after reading %d bytes", status, read)
	}
	for range VerifyTries + 1 {
		last, _, _ = p.verifyFrom("127.0.0.1", ok, "%PDF-1.4 not really", 0, true)
	}
	if last != http.StatusOK {
		t.Errorf("check %d from loopback: %d, want 200", VerifyTries+1, last)
	}
}

// refusing is a mail server that refuses one address for good and takes the rest.
type refusing string

func (r refusing) Send(_ context.Context, msgs ...mail.Message) []error {
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		if m.ToAddr == string(r) {
			errs[i] = &mail.PermanentError{Err: errors.New("550 5.1.1 no such user")}
		}
	}
	return errs
}

// An invitation whose mail is refused for good stops being retried, and the feed tells the
// desktops it was not delivered, and why.
func TestUndeliveredInvitationIsShown(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); mail.Run(ctx, p.db, refusing("luis@example.com"), p.web, nil, p.clock.Now) }()
	// The feed's long poll answers when the worker's change lands.
	var luis api.PortalUser
	cursor := int64(0)
	for tries := 0; luis.Email == "" && tries < 20; tries++ {
		var resp api.ChangesResponse
		p.api("GET", fmt.Sprintf("%s?after=%d&limit=1000&wait=5", api.PathChanges, cursor), nil, &resp)
		cursor = resp.Cursor
		for _, c := range resp.Changes {
			var u api.PortalUser
			json.Unmarshal(c.Data, &u)
			if c.Kind == api.KindPortalUser && u.Email == "luis@example.com" && len(u.Invitations) > 0 &&
				u.Invitations[0].State == api.InvitationUndelivered {
				luis = u
			}
		}
	}
	cancel()
	<-done
	if luis.Email == "" || luis.Invitations[0].Error != "550 5.1.1 no such user" {
		t.Fatalf("Luis's undelivered invitation in the feed: %+v", luis)
	}
	due, err := p.db.DueMail(context.Background(), p.clock.Now().Add(48*time.Hour), 100)
	if err != nil || len(due) != 0 {
		t.Fatalf("mail still due after the worker gave up or sent: %d, %v", len(due), err)
	}
}
