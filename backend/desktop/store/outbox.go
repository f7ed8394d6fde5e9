package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"
)

// Op is a staff write waiting to reach the portal.
type Op struct {
	Seq       int64
	ID        string
	Kind      string
	EntityID  string
	Data      []byte
	CreatedAt time.Time
	Attempts  int
	LastError string
}

// AppendOp queues an op in the same transaction as the write it describes.
func (t *Tx) AppendOp(ctx context.Context, op Op) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO outbox (id, kind, entity_id, data, created_at)
		VALUES (?, ?, ?, ?, ?)`, op.ID, op.Kind, op.EntityID, string(op.Data), formatTime(op.CreatedAt))
	if err != nil {
		return fmt.Errorf("queue op %s: %w", op.Kind, err)
	}
	return nil
}

// Queue checks v by its wire type's rule, the one portald applies to the op, and queues it:
// what the portal would refuse is refused here, before it is saved, not at sync.
func (t *Tx) Queue(ctx context.Context, kind, entityID string, v interface{ Check() error }, at time.Time) error {
	if err := v.Check(); err != nil {
		return err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("queue op %s: %w", kind, err)
	}
	return t.AppendOp(ctx, Op{ID: ulid.Make().String(), Kind: kind, EntityID: entityID, Data: data, CreatedAt: at})
}

// HasPendingOp tells whether a local write of this kind to entityID has not reached the
// portal yet. Only the same kind counts: a queued invitation for a client must not hold
// back another desktop's edit of the client record.
func (t *Tx) HasPendingOp(ctx context.Context, kind, entityID string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE entity_id = ? AND kind = ? AND state = 'pending'`,
		entityID, kind).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("pending ops of %s: %w", entityID, err)
	}
	return n > 0, nil
}

// PendingOps returns up to limit pending ops in the order they were written.
func (s *Store) PendingOps(ctx context.Context, limit int) ([]Op, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, id, kind, entity_id, data, created_at, attempts, last_error
		FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending ops: %w", err)
	}
	defer rows.Close()
	var ops []Op
	for rows.Next() {
		var op Op
		var data, created string
		if err := rows.Scan(&op.Seq, &op.ID, &op.Kind, &op.EntityID, &data, &created, &op.Attempts, &op.LastError); err != nil {
			return nil, err
		}
		op.Data, op.CreatedAt = []byte(data), parseTime(created)
		ops = append(ops, op)
	}
	return ops, rows.Err()
}

// OpCounts counts pending and failed ops.
func (s *Store) OpCounts(ctx context.Context) (pending, failed int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'failed'), 0) FROM outbox`).Scan(&pending, &failed)
	if err != nil {
		return 0, 0, fmt.Errorf("count ops: %w", err)
	}
	return pending, failed, nil
}

// LastFailedOp returns the error of the newest failed op, or "".
func (s *Store) LastFailedOp(ctx context.Context) (string, error) {
	var msg string
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE((SELECT last_error FROM outbox
		WHERE state = 'failed' ORDER BY seq DESC LIMIT 1), '')`).Scan(&msg)
	return msg, err
}

// AckOp removes an op the portal has applied (now or before).
func (t *Tx) AckOp(ctx context.Context, id string) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
		return fmt.Errorf("ack op %s: %w", id, err)
	}
	return nil
}

// NoteAcked records that the portal applied this desktop's write of a record as feed
// change seq; changes of the record before it are older than what the desktop has.
func (t *Tx) NoteAcked(ctx context.Context, kind, entityID string, seq int64) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO acked (kind, entity_id, seq) VALUES (?, ?, ?)
		ON CONFLICT (kind, entity_id) DO UPDATE SET seq = max(seq, excluded.seq)`, kind, entityID, seq)
	if err != nil {
		return fmt.Errorf("note acked %s: %w", entityID, err)
	}
	return nil
}

// AckedSeq is the feed position of the record's last acknowledged write, 0 when the cursor
// has passed it.
func (t *Tx) AckedSeq(ctx context.Context, kind, entityID string) (int64, error) {
	var seq int64
	err := t.tx.QueryRowContext(ctx, `SELECT seq FROM acked WHERE kind = ? AND entity_id = ?`, kind, entityID).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("acked seq of %s: %w", entityID, err)
	}
	return seq, nil
}

// ForgetAckedThrough drops what the cursor has passed: no older change can come any more.
func (t *Tx) ForgetAckedThrough(ctx context.Context, cursor int64) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM acked WHERE seq <= ?`, cursor); err != nil {
		return fmt.Errorf("forget acked: %w", err)
	}
	return nil
}

// FailOp marks an op the portal refused; it stays visible and is not sent again.
func (t *Tx) FailOp(ctx context.Context, id, reason string) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', last_error = ?, attempts = attempts + 1
		WHERE id = ?`, reason, id)
	if err != nil {
		return fmt.Errorf("fail op %s: %w", id, err)
	}
	return nil
}

// NoteAttempt records a failed delivery of ops that will be retried.
func (s *Store) NoteAttempt(ctx context.Context, ids []string, reason string) error {
	return s.WithTx(ctx, func(t *Tx) error {
		for _, id := range ids {
			if _, err := t.tx.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?`,
				reason, id); err != nil {
				return fmt.Errorf("note attempt %s: %w", id, err)
			}
		}
		return nil
	})
}

// UnsentOps maps the entities with ops of a kind not yet applied by the portal to why: ""
// while pending, the portal's reason once refused.
func (s *Store) UnsentOps(ctx context.Context, kind string) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT entity_id, state, last_error FROM outbox WHERE kind = ? ORDER BY seq`, kind)
	if err != nil {
		return nil, fmt.Errorf("unsent ops: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, state, reason string
		if err := rows.Scan(&id, &state, &reason); err != nil {
			return nil, err
		}
		if state == "failed" {
			out[id] = "the portal refused it: " + reason
		} else if _, seen := out[id]; !seen {
			out[id] = ""
		}
	}
	return out, rows.Err()
}
