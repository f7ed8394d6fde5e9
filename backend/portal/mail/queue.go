package mail

import (
	"context"
	"log/slog"
	"time"
)

// Queued is a message waiting in the database.
type Queued struct {
	ID       int64
	Message  Message
	Attempts int
}

// Queue is the part of the database the worker uses.
type Queue interface {
	DueMail(ctx context.Context, now time.Time, limit int) ([]Queued, error)
	MailSent(ctx context.Context, id int64, at time.Time) error
	MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error
}

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, msgs ...Message) error
}

// Limits, not meant to be changed, but changeable for tests.
var (
	PollEvery = 5 * time.Second
	RetryBase = 30 * time.Second
	RetryMax  = time.Hour
	Batch     = 50
)

// Run sends due mail until ctx ends: at once when woken (something was queued), and every
// PollEvery for retries. A message that fails stays queued with a later retry time.
func Run(ctx context.Context, q Queue, s Sender, wake <-chan struct{}, now func() time.Time) {
	tick := time.NewTicker(PollEvery)
	defer tick.Stop()
	for {
		for sendDue(ctx, q, s, now) == Batch { // a full batch: more may be waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-tick.C:
		}
	}
}

// sendDue sends one batch of due messages, one at a time so one bad address cannot hold
// back the rest, and returns how many it tried.
func sendDue(ctx context.Context, q Queue, s Sender, now func() time.Time) int {
	due, err := q.DueMail(ctx, now(), Batch)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("mail queue", "err", err)
		}
		return 0
	}
	for _, m := range due {
		err := s.Send(ctx, m.Message)
		if ctx.Err() != nil {
			return 0
		}
		if err == nil {
			err = q.MailSent(ctx, m.ID, now())
		} else {
			slog.Warn("mail not sent; will retry", "id", m.ID, "to", m.Message.ToAddr, "attempt", m.Attempts+1, "err", err)
			err = q.MailFailed(ctx, m.ID, err.Error(), now().Add(retryDelay(m.Attempts+1)))
		}
		if err != nil {
			slog.Error("mail queue", "err", err)
		}
	}
	return len(due)
}

func retryDelay(attempts int) time.Duration {
	d := RetryBase << min(attempts-1, 20)
	if d > RetryMax || d <= 0 {
		return RetryMax
	}
	return d
}
