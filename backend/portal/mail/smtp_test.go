package mail_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"portico/backend/portal/db"
	"portico/backend/portal/mail"
	"portico/backend/testkit/mailpittest"
	"portico/backend/testkit/testtool"
)

// TestQueuedMailSurvivesOutageAndArrives queues a message while the mail server is down; the
// worker keeps it and delivers it, with both parts and the firm as sender name, once the
// server is up.
func TestQueuedMailSurvivesOutageAndArrives(t *testing.T) {
	testtool.Need(t, "mailpit", "built into .tools/bin")
	mail.PollEvery, mail.RetryBase = 50*time.Millisecond, 100*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := db.OpenSQLite(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	smtpAddr := mailpittest.FreeAddr(t) // nothing listens yet: the mail server is down
	host, portText, _ := net.SplitHostPort(smtpAddr)
	port, _ := strconv.Atoi(portText)
	sender := &mail.SMTP{Config: mail.SMTPConfig{Host: host, Port: port, From: "portal@portico.test", TLS: "none", Timeout: 2 * time.Second}}
	wake := make(chan struct{}, 1)
	done := make(chan struct{})
	q := &signalling{DB: d, failed: make(chan struct{}, 100), sent: make(chan struct{}, 100)}
	go func() { mail.Run(ctx, q, sender, nil, wake, time.Now); close(done) }()

	msg := mail.Message{FromName: "Müller & Partner CPA", ToName: "Ann Smith", ToAddr: "ann@smith.test",
		Subject: "Your client portal invitation", Text: "Hello Ann,\nfollow this link: https://portal.test/i/abc",
		HTML: `<p>Hello Ann,</p><p><a href="https://portal.test/i/abc">Open your portal</a></p>`}
	if _, err := d.EnqueueMail(ctx, "", msg); err != nil {
		t.Fatal(err)
	}
	wake <- struct{}{}
	select { // a failed attempt
	case <-q.failed:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker never tried to send")
	}

	mp := mailpittest.Start(t, smtpAddr)
	select {
	case <-q.sent:
	case <-time.After(15 * time.Second):
		t.Fatal("the queued mail was never sent after the server came back")
	}
	// Stopped, the worker has handed Mailpit everything it ever will: a second copy is there
	// now or never.
	cancel()
	<-done
	got := mp.Messages(t)
	if len(got) != 1 {
		t.Fatalf("%d messages arrived, want exactly 1", len(got))
	}
	m := got[0]
	if m.Subject != msg.Subject || m.From.Name != msg.FromName || m.From.Address != "portal@portico.test" ||
		len(m.To) != 1 || m.To[0].Address != "ann@smith.test" || m.To[0].Name != "Ann Smith" {
		t.Fatalf("message as received: %+v", m)
	}
	text, html := mp.Body(t, m.ID)
	if !strings.Contains(text, "https://portal.test/i/abc") || !strings.Contains(html, `<a href="https://portal.test/i/abc">`) {
		t.Fatalf("parts: text %q html %q", text, html)
	}
	queued, sent, err := d.MailCounts(context.Background())
	if err != nil || queued != 0 || sent != 1 {
		t.Fatalf("queue after delivery: %d queued, %d sent (%v)", queued, sent, err)
	}
}

// signalling is the database's queue, telling the test each attempt's outcome.
type signalling struct {
	*db.DB
	failed, sent chan struct{}
}

func (s *signalling) MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	defer func() { s.failed <- struct{}{} }()
	return s.DB.MailFailed(ctx, id, reason, retryAt)
}

func (s *signalling) MailSent(ctx context.Context, id int64, at time.Time) error {
	defer func() { s.sent <- struct{}{} }()
	return s.DB.MailSent(ctx, id, at)
}

// A mail server that cannot be reached is an outage, retried: only a 5xx answer is a
// refusal for good.
func TestUnreachableServerIsNotPermanent(t *testing.T) {
	host, portText, _ := net.SplitHostPort(mailpittest.FreeAddr(t))
	port, _ := strconv.Atoi(portText)
	s := &mail.SMTP{Config: mail.SMTPConfig{Host: host, Port: port, From: "portal@portico.test", TLS: "none", Timeout: time.Second}}
	errs := s.Send(context.Background(), mail.Message{ToAddr: "ann@smith.test", Subject: "x", Text: "x"})
	var perm *mail.PermanentError
	if errs[0] == nil || errors.As(errs[0], &perm) {
		t.Fatalf("an unreachable server: %v, want a retryable error", errs[0])
	}
	errs = s.Send(context.Background(), mail.Message{ToAddr: "not an address", Subject: "x", Text: "x"})
	if !errors.As(errs[0], &perm) {
		t.Fatalf("an address that cannot be written: %v, want a PermanentError", errs[0])
	}
}
