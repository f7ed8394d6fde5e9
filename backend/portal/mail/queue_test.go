package mail

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

type memQueue struct {
	mu   sync.Mutex
	msgs map[int64]*memMsg
}

type memMsg struct {
	q       Queued
	next    time.Time
	sent    bool
	gaveUp  bool
	lastErr string
}

func (m *memQueue) DueMail(_ context.Context, now time.Time, limit int) ([]Queued, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Queued
	for _, x := range m.msgs {
		if !x.sent && !x.next.After(now) && len(out) < limit {
			out = append(out, x.q)
		}
	}
	return out, nil
}

func (m *memQueue) MailSent(_ context.Context, id int64, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs[id].sent = true
	m.msgs[id].q.Attempts++
	return nil
}

func (m *memQueue) MailFailed(_ context.Context, id int64, reason string, retryAt time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs[id].q.Attempts++
	m.msgs[id].next, m.msgs[id].lastErr = retryAt, reason
	return nil
}

func (m *memQueue) MailGaveUp(_ context.Context, id int64, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs[id].q.Attempts++
	m.msgs[id].gaveUp, m.msgs[id].lastErr = true, reason
	m.msgs[id].next = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	return nil
}

type flakySender struct {
	failures int
	sent     []Message
}

func (f *flakySender) Send(_ context.Context, msgs ...Message) []error {
	errs := make([]error, len(msgs))
	if f.failures > 0 {
		f.failures--
		for i := range errs {
			errs[i] = errors.New("dial tcp: connection refused")
		}
		return errs
	}
	f.sent = append(f.sent, msgs...)
	return errs
}

func TestFailedMailIsRetriedWithBackoffAndSentOnce(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	q := &memQueue{msgs: map[int64]*memMsg{1: {q: Queued{ID: 1, Message: Message{ToAddr: "ann@x.test", Subject: "Invitation"}}, next: now}}}
	s := &flakySender{failures: 2}
	ctx := context.Background()

	steps := []struct {
		advance  time.Duration
		wantSent int
		wantNext time.Duration // from now, while unsent
	}{
		{0, 0, RetryBase},                 // first failure: retry after the base delay
		{RetryBase / 2, 0, RetryBase / 2}, // not due yet: nothing tried
		{RetryBase / 2, 0, 2 * RetryBase}, // second failure: twice as long
		{2 * RetryBase, 1, 0},             // the server is back
		{time.Hour, 1, 0},                 // sent messages are never sent again
	}
	for i, st := range steps {
		now = now.Add(st.advance)
		sendDue(ctx, q, s, nil, clock)
		m := q.msgs[1]
		if len(s.sent) != st.wantSent {
			t.Fatalf("step %d: %d sent, want %d", i, len(s.sent), st.wantSent)
		}
		if !m.sent && m.next.Sub(now) != st.wantNext {
			t.Fatalf("step %d: next attempt in %v, want %v", i, m.next.Sub(now), st.wantNext)
		}
	}
	if q.msgs[1].q.Attempts != 3 || q.msgs[1].lastErr == "" {
		t.Fatalf("attempts %d, last error %q", q.msgs[1].q.Attempts, q.msgs[1].lastErr)
	}
}

func TestRetryDelayIsCapped(t *testing.T) {
	if d := retryDelay(100); d != RetryMax {
		t.Fatalf("retryDelay(100) = %v", d)
	}
}

// pickySender refuses one address and takes the rest.
type pickySender struct{ sent []string }

func (p *pickySender) Send(_ context.Context, msgs ...Message) []error {
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		if m.ToAddr == "bad@x.test" {
			errs[i] = errors.New("550 mailbox unavailable")
			continue
		}
		p.sent = append(p.sent, m.ToAddr)
	}
	return errs
}

func TestOneRefusedAddressDoesNotHoldBackTheBatch(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	q := &memQueue{msgs: map[int64]*memMsg{}}
	for i, addr := range []string{"a@x.test", "bad@x.test", "c@x.test"} {
		id := int64(i + 1)
		q.msgs[id] = &memMsg{q: Queued{ID: id, Message: Message{ToAddr: addr}}, next: now}
	}
	s := &pickySender{}
	if n := sendDue(context.Background(), q, s, nil, func() time.Time { return now }); n != 3 {
		t.Fatalf("tried %d", n)
	}
	if len(s.sent) != 2 || !q.msgs[1].sent || q.msgs[2].sent || !q.msgs[3].sent {
		t.Fatalf("sent %v; states %v %v %v", s.sent, q.msgs[1].sent, q.msgs[2].sent, q.msgs[3].sent)
	}
	if q.msgs[2].lastErr == "" || !q.msgs[2].next.After(now) {
		t.Fatalf("refused message not scheduled for retry: %+v", q.msgs[2])
	}
}

// Retries end: after MaxAttempts for a server that stays away, at once for a refusal for
// good; either way the queue records that it gave up, and why.
func TestRetriesEnd(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	q := &memQueue{msgs: map[int64]*memMsg{
		1: {q: Queued{ID: 1, Message: Message{ToAddr: "away@x.test"}}, next: now},
		2: {q: Queued{ID: 2, Message: Message{ToAddr: "gone@x.test"}}, next: now}}}
	s := senderFunc(func(m Message) error {
		if m.ToAddr == "gone@x.test" {
			return &PermanentError{errors.New("550 5.1.1 no such user")}
		}
		return errors.New("dial tcp: connection refused")
	})
	for range MaxAttempts + 3 {
		sendDue(context.Background(), q, s, nil, clock)
		now = now.Add(RetryMax)
	}
	if m := q.msgs[1]; !m.gaveUp || m.q.Attempts != MaxAttempts || m.lastErr != "dial tcp: connection refused" {
		t.Errorf("a server that stays away: gave up %v after %d attempts (%q)", m.gaveUp, m.q.Attempts, m.lastErr)
	}
	if m := q.msgs[2]; !m.gaveUp || m.q.Attempts != 1 || m.lastErr != "550 5.1.1 no such user" {
		t.Errorf("a refusal for good: gave up %v after %d attempts (%q)", m.gaveUp, m.q.Attempts, m.lastErr)
	}
}

type senderFunc func(Message) error

func (f senderFunc) Send(_ context.Context, msgs ...Message) []error {
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		errs[i] = f(m)
	}
	return errs
}

type composerFunc func(kind string, data []byte) (Message, error)

func (f composerFunc) Compose(kind string, data []byte) (Message, error) { return f(kind, data) }

// A notice is written as it is sent; one that cannot be written is given up, with why,
// and holds back nothing else.
func TestNoticesAreWrittenWhenSent(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	q := &memQueue{msgs: map[int64]*memMsg{
		1: {q: Queued{ID: 1, Message: Message{ToAddr: "ada@x.test"}, Kind: "invite", Data: []byte(`"Ada"`)}, next: now},
		2: {q: Queued{ID: 2, Message: Message{ToAddr: "ben@x.test"}, Kind: "unknown"}, next: now},
		3: {q: Queued{ID: 3, Message: Message{ToAddr: "cy@x.test", Subject: "Reset"}}, next: now}}}
	c := composerFunc(func(kind string, data []byte) (Message, error) {
		if kind != "invite" {
			return Message{}, errors.New("no such notice")
		}
		return Message{ToAddr: "ada@x.test", Subject: "Invitation for " + string(data)}, nil
	})
	var sent []string
	s := senderFunc(func(m Message) error { sent = append(sent, m.ToAddr+": "+m.Subject); return nil })
	if n := sendDue(context.Background(), q, s, c, func() time.Time { return now }); n != 3 {
		t.Fatalf("sendDue handled %d, want 3", n)
	}
	slices.Sort(sent)
	if want := []string{`ada@x.test: Invitation for "Ada"`, "cy@x.test: Reset"}; !slices.Equal(sent, want) {
		t.Errorf("sent %q, want %q", sent, want)
	}
	if m := q.msgs[2]; !m.gaveUp || !strings.Contains(m.lastErr, "could not be written: no such notice") {
		t.Errorf("a notice that cannot be written: gave up %v (%q)", m.gaveUp, m.lastErr)
	}
}
