package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Queued is a message waiting in the database.
type Queued struct {
	ID       int64
	Message  Message
	Attempts int
	// Kind and Data are a notice: mail whose facts were queued, written by the Composer when
	// it is sent. Message then holds only whom it goes to.
	Kind string
	Data []byte
}

// Composer writes the message of a notice.
type Composer interface {
	Compose(kind string, data []byte) (Message, error)
}

// Queue is the part of the database the worker uses.
type Queue interface {
	DueMail(ctx context.Context, now time.Time, limit int) ([]Queued, error)
	MailSent(ctx context.Context, id int64, at time.Time) error
	MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error
	// MailGaveUp records a message that will not be sent: staff see why where it matters
	// (on the invitation it carried).
	MailGaveUp(ctx context.Context, id int64, reason string) error
}

// PermanentError is a message the mail server refused for good (a 5xx answer, an address
// that cannot be written): trying again would not change it.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Sender delivers messages, over one connection where it can, and says for each whether
// it went (nil) or why not.
type Sender interface {
	Send(ctx context.Context, msgs ...Message) []error
}

// Limits, not meant to be changed, but changeable for tests.
var (
	PollEvery = 5 * time.Second
	RetryBase = 30 * time.Second
	RetryMax  = time.Hour
	Batch     = 200
	// MaxAttempts ends the retries of a message after about five hours.
	MaxAttempts = 12
)

// Run sends due mail until ctx ends: at once when woken (something was queued), and every
// PollEvery for retries. A message that fails stays queued with a later retry time.
func Run(ctx context.Context, q Queue, s Sender, c Composer, wake <-chan struct{}, now func() time.Time) {
	tick := time.NewTicker(PollEvery)
	defer tick.Stop()
	for {
		for sendDue(ctx, q, s, c, now) == Batch { // a full batch: more may be waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
	}
}

// sendDue sends one batch of due messages over one connection and records each message's
// fate, so one bad address cannot hold back the rest; it returns how many it tried.
func sendDue(ctx context.Context, q Queue, s Sender, c Composer, now func() time.Time) int {
	all, err := q.DueMail(ctx, now(), Batch)
	if err != nil || len(all) == 0 {
		if err != nil && ctx.Err() == nil {
			slog.Error("mail queue", "err", err)
		}
		return 0
	}
	due, msgs := make([]Queued, 0, len(all)), make([]Message, 0, len(all))
	for _, m := range all {
		if m.Kind != "" {
			msg, err := c.Compose(m.Kind, m.Data)
			if err != nil {
				// Writing it again would fail the same way: it is given up, and shown.
				slog.Error("mail not written; giving up", "id", m.ID, "kind", m.Kind, "err", err)
				if err := q.MailGaveUp(ctx, m.ID, "the mail could not be written: "+err.Error()); err != nil {
					slog.Error("mail queue", "err", err)
				}
				continue
			}
			m.Message = msg
		}
		due, msgs = append(due, m), append(msgs, m.Message)
	}
	if len(due) == 0 {
		return len(all)
	}
	errs := s.Send(ctx, msgs...)
	for i, m := range due {
		err := errs[i]
		if err == nil {
			err = q.MailSent(context.WithoutCancel(ctx), m.ID, now())
		} else if ctx.Err() != nil {
			continue // stopping: not the message's fault, try it next time without counting
		} else if perm := (*PermanentError)(nil); errors.As(err, &perm) || m.Attempts+1 >= MaxAttempts {
			slog.Warn("mail not sent; giving up", "id", m.ID, "to", m.Message.ToAddr, "attempt", m.Attempts+1, "err", err)
			err = q.MailGaveUp(ctx, m.ID, err.Error())
		} else {
			slog.Warn("mail not sent; will retry", "id", m.ID, "to", m.Message.ToAddr, "attempt", m.Attempts+1, "err", err)
			err = q.MailFailed(ctx, m.ID, err.Error(), now().Add(retryDelay(m.Attempts+1)))
		}
		if err != nil {
			slog.Error("mail queue", "err", err)
		}
	}
	if ctx.Err() != nil {
		return 0
	}
	return len(all)
}

func retryDelay(attempts int) time.Duration {
	d := RetryBase << min(attempts-1, 20)
	if d > RetryMax || d <= 0 {
		return RetryMax
	}
	return d
}
