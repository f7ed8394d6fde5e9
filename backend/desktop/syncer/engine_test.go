package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/store"
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

// recorder is an Applier that keeps what it was given.
type recorder struct{ seqs []int64 }

func (r *recorder) Apply(_ context.Context, _ *store.Tx, ch api.Change) error {
	r.seqs = append(r.seqs, ch.Seq)
	return nil
}

// TestLatePageDoesNotRevertAnAcknowledgedWrite: a feed page asked for before this desktop's
// write was acknowledged, and answered after, holds an older version of the record; it is
// not applied. Later changes of the record, and changes of other records, are.
func TestLatePageDoesNotRevertAnAcknowledgedWrite(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var page api.ChangesResponse
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case api.PathOps:
			var req api.PushRequest
			json.NewDecoder(r.Body).Decode(&req)
			json.NewEncoder(w).Encode(api.PushResponse{Results: []api.OpResult{{ID: req.Ops[0].ID, Status: api.OpApplied, Seq: 12}}})
		case api.PathChanges:
			json.NewEncoder(w).Encode(page)
		}
	}))
	defer portal.Close()
	c := &Client{BaseURL: portal.URL}
	rec := &recorder{}
	e := &Engine{Store: st, Appliers: map[string]Applier{api.KindClientPut: rec}}

	op := store.Op{ID: "01J0000000000000000000000A", Kind: api.KindClientPut, EntityID: "c1", Data: []byte(`{"name":"Newest"}`)}
	st.WithTx(ctx, func(tx *store.Tx) error { return tx.AppendOp(ctx, op) })
	if err := e.push(ctx, c, []store.Op{op}); err != nil {
		t.Fatal(err)
	}
	change := func(seq int64, entity string) api.Change {
		return api.Change{Seq: seq, Kind: api.KindClientPut, EntityID: entity, Data: []byte(`{}`)}
	}
	page = api.ChangesResponse{Cursor: 11, Changes: []api.Change{change(10, "c1"), change(11, "c2")}}
	if _, _, err := e.pull(ctx, c, 0); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.seqs, []int64{11}) {
		t.Fatalf("applied %v from the late page, want only 11 (the other record)", rec.seqs)
	}
	page = api.ChangesResponse{Cursor: 13, Changes: []api.Change{change(12, "c1"), change(13, "c1")}}
	if _, _, err := e.pull(ctx, c, 0); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec.seqs, []int64{11, 12, 13}) {
		t.Fatalf("applied %v, want the echo and the newer change too", rec.seqs)
	}
	// Once the cursor passed it, nothing of it is kept.
	st.WithTx(ctx, func(tx *store.Tx) error {
		if seq, _ := tx.AckedSeq(ctx, api.KindClientPut, "c1"); seq != 0 {
			t.Errorf("acked seq kept after the cursor passed it: %d", seq)
		}
		return nil
	})
}
