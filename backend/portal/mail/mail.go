// Package mail sends portald's email: an SMTP sender (go-mail) and a worker that drains the
// database's mail queue, retrying with backoff so a mail server outage loses nothing.
package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email with a plain-text and an HTML part.
type Message struct {
	FromName string // the firm's name; the address is the portal's
	ToName   string
	ToAddr   string
	Subject  string
	Text     string
	HTML     string

	Attachments []Attachment
}

// Attachment is a file sent with a message, such as a calendar invitation.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Data        []byte `json:"data"`
}

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string // the envelope and header address, e.g. portal@firm.example
	TLS      string // "starttls" (default), "tls" (implicit, port 465) or "none"
	Timeout  time.Duration
}

// SMTP sends through one mail server, a connection per batch.
type SMTP struct {
	Config SMTPConfig
}

// Send delivers msgs over one connection and returns one error per message, nil where the
// server took it.
func (s *SMTP) Send(ctx context.Context, msgs ...Message) []error {
	errs := make([]error, len(msgs))
	err := s.send(ctx, msgs, errs)
	for i := range errs {
		if errs[i] == nil && err != nil {
			errs[i] = err
		}
	}
	return errs
}

func (s *SMTP) send(ctx context.Context, msgs []Message, errs []error) error {
	c := s.Config
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(max(c.Timeout, 5*time.Second))}
	switch c.TLS {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		return fmt.Errorf("smtp: unknown TLS mode %q (starttls, tls or none)", c.TLS)
	}
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	out := make([]*gomail.Msg, 0, len(msgs))
	sent := make([]*gomail.Msg, len(msgs)) // nil where the message could not be built
	for i, m := range msgs {
		gm := gomail.NewMsg()
		if err := gm.FromFormat(m.FromName, c.From); err != nil {
			return fmt.Errorf("smtp from %q: %w", c.From, err)
		}
		if err := gm.AddToFormat(m.ToName, m.ToAddr); err != nil {
			errs[i] = &PermanentError{fmt.Errorf("the address %q cannot be written in a mail: %w", m.ToAddr, err)}
			continue
		}
		gm.Subject(m.Subject)
		gm.SetDate()
		gm.SetMessageID()
		gm.SetBodyString(gomail.TypeTextPlain, m.Text)
		if m.HTML != "" {
			gm.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
		}
		for _, a := range m.Attachments {
			if err := gm.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
				errs[i] = fmt.Errorf("attach %s: %w", a.Name, err)
				continue
			}
		}
		out = append(out, gm)
		sent[i] = gm
	}
	if len(out) == 0 {
		return nil
	}
	err = client.DialAndSendWithContext(ctx, out...)
	// One refused recipient fails the call but not the others: judge each message.
	for i, gm := range sent {
		switch {
		case gm == nil || gm.IsDelivered():
		case gm.HasSendError() && permanent(gm.SendError()):
			errs[i] = &PermanentError{fmt.Errorf("smtp %s:%d: %w", c.Host, c.Port, gm.SendError())}
		case gm.HasSendError():
			errs[i] = fmt.Errorf("smtp %s:%d: %w", c.Host, c.Port, gm.SendError())
		case err != nil:
			errs[i] = fmt.Errorf("smtp %s:%d: %w", c.Host, c.Port, err)
		default:
			errs[i] = fmt.Errorf("smtp %s:%d: message not delivered", c.Host, c.Port)
		}
	}
	return nil
}

// permanent tells a refusal for good: the server answered 5xx. go-mail also calls a broken
// connection "not temporary"; that is retried like any outage.
func permanent(err error) bool {
	var se *gomail.SendError
	return errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600
}
