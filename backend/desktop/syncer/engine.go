package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/store"
)

// Limits, not meant to be changed, but changeable for tests.
var (
	PushBatch = 500
	PullLimit = 2000
	PullWait  = 25 * time.Second
	// Lingers let a burst of writes (or of another desktop's changes) gather into one
	// request instead of one round trip and one transaction each.
	PushLinger  = 25 * time.Millisecond
	PullLinger  = 50 * time.Millisecond
	BackoffBase = 500 * time.Millisecond
	BackoffMax  = 15 * time.Second
)

// Sync states the UI shows.
const (
	StateSignedOut = "signed-out"
	StateSynced    = "synced"
	StatePending   = "pending"
	StateOffline   = "offline"
	StateError     = "error"
)

// Status is what the UI shows about sync.
type Status struct {
	State     string `json:"state"`
	Online    bool   `json:"online"`
	Pending   int    `json:"pending"`
	Failed    int    `json:"failed"`
	LastSync  string `json:"lastSync"` // RFC 3339, "" before the first sync
	LastError string `json:"lastError"`
}

// Applier writes one kind of change from the feed into the local database.
type Applier interface {
	Apply(ctx context.Context, tx *store.Tx, ch api.Change) error
}

// Engine runs the pusher and the puller while a device is signed in.
type Engine struct {
	Store    *store.Store
	Appliers map[string]Applier   // by op kind
	OnStatus func(Status)         // called on every status change; may be nil
	OnPulled func(kinds []string) // called after changes were applied; may be nil
	OnAcked  func(ops []store.Op) // called after the portal answered for these ops; may be nil
	Now      func() time.Time     // injectable clock
	// Workers run beside the pusher and puller while signed in (the file transfers).
	Workers []func(ctx context.Context, c *Client)

	wake   chan struct{} // a local write is waiting
	urgent chan struct{} // staff asked to sync now: skip any backoff

	publishQueued atomic.Bool

	mu       sync.Mutex
	running  bool
	online   bool
	netErr   string // why the portal is unreachable, while it is
	lastSync time.Time
	cancel   context.CancelFunc
	done     sync.WaitGroup
}

const settingCursor, settingLastSync = "sync.cursor", "sync.last"

func (e *Engine) init() {
	if e.wake == nil {
		e.wake, e.urgent = make(chan struct{}, 1), make(chan struct{}, 1)
	}
}

// Start begins syncing with the portal through c until Stop.
func (e *Engine) Start(c *Client) {
	e.mu.Lock()
	e.init()
	if e.running {
		e.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.running, e.cancel, e.online, e.netErr = true, cancel, false, ""
	if s, _ := e.Store.Setting(ctx, settingLastSync); s != "" {
		e.lastSync, _ = time.Parse(time.RFC3339Nano, s)
	}
	e.done.Add(2 + len(e.Workers))
	e.mu.Unlock()
	go func() { defer e.done.Done(); e.pushLoop(ctx, c) }()
	go func() { defer e.done.Done(); e.pullLoop(ctx, c) }()
	for _, w := range e.Workers {
		go func() { defer e.done.Done(); w(ctx, c) }()
	}
	e.publish()
}

// Stop ends syncing and waits for both loops to return.
func (e *Engine) Stop() {
	e.mu.Lock()
	if !e.running {
		e.mu.Unlock()
		return
	}
	e.cancel()
	e.mu.Unlock()
	e.done.Wait()
	e.mu.Lock()
	e.running, e.online = false, false
	e.mu.Unlock()
	e.publish()
}

// Wake tells the pusher a local write is waiting; it never blocks.
func (e *Engine) Wake() {
	e.mu.Lock()
	e.init()
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
	e.publishSoon() // the pending count changed even if the pusher is backing off
}

// publishSoon coalesces a burst of writes into one status update a tenth of a second later.
func (e *Engine) publishSoon() {
	if e.publishQueued.CompareAndSwap(false, true) {
		time.AfterFunc(100*time.Millisecond, func() {
			e.publishQueued.Store(false)
			e.publish()
		})
	}
}

// SyncNow retries at once whatever is waiting out a backoff.
func (e *Engine) SyncNow() {
	e.Wake()
	select {
	case e.urgent <- struct{}{}:
	default:
	}
}

// Status reads the current status.
func (e *Engine) Status(ctx context.Context) (Status, error) {
	pending, failed, err := e.Store.OpCounts(ctx)
	if err != nil {
		return Status{}, err
	}
	e.mu.Lock()
	st := Status{Online: e.online, Pending: pending, Failed: failed, LastError: e.netErr}
	running := e.running
	if !e.lastSync.IsZero() {
		st.LastSync = e.lastSync.UTC().Format(time.RFC3339)
	}
	e.mu.Unlock()
	if failed > 0 && st.LastError == "" {
		msg, err := e.Store.LastFailedOp(ctx)
		if err != nil {
			return Status{}, err
		}
		st.LastError = fmt.Sprintf("%d change(s) were refused by the portal; the last: %s", failed, msg)
	}
	switch {
	case !running:
		st.State = StateSignedOut
	case !st.Online:
		st.State = StateOffline
	case failed > 0:
		st.State = StateError
	case pending > 0:
		st.State = StatePending
	default:
		st.State = StateSynced
	}
	return st, nil
}

func (e *Engine) publish() {
	if e.OnStatus == nil {
		return
	}
	st, err := e.Status(context.Background())
	if err != nil {
		slog.Warn("sync status", "err", err)
		return
	}
	e.OnStatus(st)
}

func (e *Engine) clock() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// reached records a successful exchange with the portal.
func (e *Engine) reached(synced bool) {
	e.mu.Lock()
	e.online, e.netErr = true, ""
	if synced {
		e.lastSync = e.clock()
	}
	e.mu.Unlock()
}

// unreachable records a failed exchange; it logs a repeated error once.
func (e *Engine) unreachable(err error) {
	e.mu.Lock()
	msg := err.Error()
	var se *StatusError
	if errors.As(err, &se) && se.Status == http.StatusUnauthorized {
		msg = "the portal no longer accepts this device's sign-in; sign out and sign in again in Settings"
	}
	if msg != e.netErr {
		slog.Info("sync: portal unreachable", "err", msg)
	}
	e.online, e.netErr = false, msg
	e.mu.Unlock()
}

func (e *Engine) pushLoop(ctx context.Context, c *Client) {
	failures := 0
	for {
		ops, err := e.Store.PendingOps(ctx, PushBatch)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			slog.Error("sync: reading the outbox", "err", err)
			ops = nil
		}
		if len(ops) == 0 {
			e.publish()
			select {
			case <-ctx.Done():
				return
			case <-e.wake:
				if !e.sleep(ctx, PushLinger) {
					return
				}
				continue
			}
		}
		err = e.push(ctx, c, ops)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			failures = 0
			e.publish()
			continue
		}
		failures++
		e.unreachable(err)
		e.publish()
		if !e.sleep(ctx, backoff(failures, err)) {
			return
		}
	}
}

// push sends one batch and records each op's fate in one transaction.
func (e *Engine) push(ctx context.Context, c *Client, ops []store.Op) error {
	wire := make([]api.Op, len(ops))
	ids := make([]string, len(ops))
	for i, op := range ops {
		wire[i] = api.Op{ID: op.ID, Kind: op.Kind, EntityID: op.EntityID, Data: op.Data}
		ids[i] = op.ID
	}
	resp, err := c.Push(ctx, wire)
	if err != nil {
		if ctx.Err() == nil {
			if nerr := e.Store.NoteAttempt(ctx, ids, err.Error()); nerr != nil {
				slog.Warn("sync: noting a failed push", "err", nerr)
			}
		}
		// Only the portal's verdict on one op fails that op. A refusal of the whole request
		// (a proxy's 413, a captive portal, a newer API) keeps every op pending and backs off.
		return err
	}
	now := e.clock()
	byID := make(map[string]store.Op, len(ops))
	for _, op := range ops {
		byID[op.ID] = op
	}
	err = e.Store.WithTx(ctx, func(tx *store.Tx) error {
		for _, r := range resp.Results {
			var err error
			switch r.Status {
			case api.OpApplied, api.OpDuplicate:
				err = tx.AckOp(ctx, r.ID)
				if op, ok := byID[r.ID]; ok && err == nil && r.Seq > 0 {
					err = tx.NoteAcked(ctx, op.Kind, op.EntityID, r.Seq)
				}
			case api.OpRejected:
				err = tx.FailOp(ctx, r.ID, r.Error)
			}
			if err != nil {
				return err
			}
		}
		return tx.SetSetting(ctx, settingLastSync, now.UTC().Format(time.RFC3339Nano))
	})
	if err != nil {
		return fmt.Errorf("recording pushed ops: %w", err)
	}
	e.reached(true)
	if e.OnAcked != nil {
		done := map[string]bool{} // applied or refused: either way no longer waiting
		for _, r := range resp.Results {
			done[r.ID] = true
		}
		var acked []store.Op
		for _, op := range ops {
			if done[op.ID] {
				acked = append(acked, op)
			}
		}
		e.OnAcked(acked)
	}
	return nil
}

func (e *Engine) pullLoop(ctx context.Context, c *Client) {
	failures := 0
	wait := time.Duration(0) // the first pull answers at once so the UI learns we are online
	for {
		n, more, err := e.pull(ctx, c, wait)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			failures++
			e.unreachable(err)
			e.publish()
			if !e.sleep(ctx, backoff(failures, err)) {
				return
			}
			wait = 0
			continue
		}
		if failures > 0 || n > 0 || wait == 0 {
			e.publish()
		}
		failures = 0
		wait = PullWait
		if more {
			wait = 0
		} else if n > 0 && !e.sleep(ctx, PullLinger) {
			return
		}
	}
}

// pull fetches one page of the feed and applies it with the new cursor in one transaction.
func (e *Engine) pull(ctx context.Context, c *Client, wait time.Duration) (applied int, more bool, err error) {
	cursorText, err := e.Store.Setting(ctx, settingCursor)
	if err != nil {
		return 0, false, err
	}
	cursor, _ := strconv.ParseInt(cursorText, 10, 64)
	resp, err := c.Changes(ctx, cursor, PullLimit, wait)
	if err != nil {
		return 0, false, err
	}
	kinds := map[string]bool{}
	now := e.clock()
	err = e.Store.WithTx(ctx, func(tx *store.Tx) error {
		for _, ch := range resp.Changes {
			// A change in the feed proves the portal applied its op: if the op is ours and its
			// acknowledgement was lost, it is not pending any more.
			if err := tx.AckOp(ctx, ch.OpID); err != nil {
				return err
			}
			// A local write not yet pushed will reach the portal after this change and
			// replace it there too: keep ours until then.
			pending, err := tx.HasPendingOp(ctx, ch.Kind, ch.EntityID)
			if err != nil {
				return err
			}
			if pending {
				continue
			}
			// A page answered late may hold a record's older version than the write of ours
			// the portal since acknowledged: the desktop has the newer one already.
			acked, err := tx.AckedSeq(ctx, ch.Kind, ch.EntityID)
			if err != nil {
				return err
			}
			if ch.Seq < acked {
				continue
			}
			a, ok := e.Appliers[ch.Kind]
			if !ok {
				slog.Warn("sync: skipping a change of unknown kind", "kind", ch.Kind, "seq", ch.Seq)
				continue
			}
			if err := a.Apply(ctx, tx, ch); err != nil {
				return fmt.Errorf("applying change %d: %w", ch.Seq, err)
			}
			kinds[ch.Kind] = true
			applied++
		}
		if err := tx.SetSetting(ctx, settingCursor, strconv.FormatInt(resp.Cursor, 10)); err != nil {
			return err
		}
		if err := tx.ForgetAckedThrough(ctx, resp.Cursor); err != nil {
			return err
		}
		return tx.SetSetting(ctx, settingLastSync, now.UTC().Format(time.RFC3339Nano))
	})
	if err != nil {
		return 0, false, err
	}
	e.reached(true)
	if applied > 0 && e.OnPulled != nil {
		list := make([]string, 0, len(kinds))
		for k := range kinds {
			list = append(list, k)
		}
		e.OnPulled(list)
	}
	return applied, resp.More, nil
}

// sleep waits d, or less when staff ask to sync now; false when ctx ended.
func (e *Engine) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	case <-e.urgent:
	}
	return true
}

// backoff is exponential with full jitter, never shorter than what Retry-After asks.
func backoff(failures int, err error) time.Duration {
	d := BackoffBase << min(failures-1, 16)
	if d > BackoffMax || d <= 0 {
		d = BackoffMax
	}
	d = d/2 + rand.N(d/2+1)
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > d {
		d = se.RetryAfter
	}
	return d
}
