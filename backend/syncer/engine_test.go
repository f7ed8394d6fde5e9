package syncer

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"portico/backend/store"
)

func TestBackoffGrowsWithJitterAndHonoursRetryAfter(t *testing.T) {
	BackoffBase, BackoffMax = 100*time.Millisecond, 2*time.Second
	defer func() { BackoffBase, BackoffMax = 500*time.Millisecond, 15*time.Second }()
	netErr := &UnreachableError{URL: "x", Err: errors.New("refused")}
	tests := []struct {
		failures int
		err      error
		min, max time.Duration
	}{
		{1, netErr, 50 * time.Millisecond, 100 * time.Millisecond},
		{3, netErr, 200 * time.Millisecond, 400 * time.Millisecond},
		{30, netErr, time.Second, 2 * time.Second}, // capped, no overflow
		{1, &StatusError{Status: 503, RetryAfter: 5 * time.Second}, 5 * time.Second, 5 * time.Second},
	}
	for _, tt := range tests {
		seen := map[time.Duration]bool{}
		for i := 0; i < 50; i++ {
			d := backoff(tt.failures, tt.err)
			if d < tt.min || d > tt.max {
				t.Fatalf("backoff(%d, %v) = %v, want in [%v, %v]", tt.failures, tt.err, d, tt.min, tt.max)
			}
			seen[d] = true
		}
		if tt.min != tt.max && len(seen) < 2 {
			t.Fatalf("backoff(%d) has no jitter", tt.failures)
		}
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&UnreachableError{Err: errors.New("refused")}, true},
		{&StatusError{Status: 500}, true},
		{&StatusError{Status: 503}, true},
		{&StatusError{Status: 429}, true},
		{&StatusError{Status: 400}, false},
		{&StatusError{Status: 401}, false},
		{context.Canceled, false},
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestStatusStates(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := &Engine{Store: st}
	check := func(want string) {
		t.Helper()
		s, err := e.Status(ctx)
		if err != nil || s.State != want {
			t.Fatalf("state %+v (%v), want %s", s, err, want)
		}
	}
	check(StateSignedOut)
	e.running = true
	check(StateOffline)
	e.reached(true)
	check(StateSynced)
	st.WithTx(ctx, func(tx *store.Tx) error {
		return tx.AppendOp(ctx, store.Op{ID: "01J0000000000000000000000A", Kind: "client.put", EntityID: "c", Data: []byte("{}")})
	})
	check(StatePending)
	st.WithTx(ctx, func(tx *store.Tx) error {
		return tx.FailOp(ctx, "01J0000000000000000000000A", "client name is required")
	})
	check(StateError)
	s, _ := e.Status(ctx)
	if s.LastError == "" || s.Failed != 1 {
		t.Fatalf("failed op not explained: %+v", s)
	}
}
