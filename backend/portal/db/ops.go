package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"portico/backend/api"
)

// Op is a pushed op after the server checked it: Invalid says why it can never apply.
type Op struct {
	api.Op
	Client  *api.Client // for client.put
	Invalid string
}

// ApplyOps applies a batch in one transaction. An op seen before is answered with its first
// result and not applied again; that is what makes retries safe.
func (d *DB) ApplyOps(ctx context.Context, firmID, deviceID string, ops []Op) ([]api.OpResult, error) {
	results := make([]api.OpResult, len(ops))
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT last_seq FROM firms WHERE id = ?`, firmID).Scan(&seq); err != nil {
			return fmt.Errorf("firm %s: %w", firmID, err)
		}
		startSeq := seq
		now := d.now()
		for i, op := range ops {
			r := api.OpResult{ID: op.ID}
			var status, errText string
			var prevSeq sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT status, seq, error FROM ops WHERE firm_id = ? AND id = ?`,
				firmID, op.ID).Scan(&status, &prevSeq, &errText)
			switch {
			case err == nil && status == api.OpApplied:
				r.Status, r.Seq = api.OpDuplicate, prevSeq.Int64
			case err == nil:
				r.Status, r.Error = api.OpRejected, errText
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("op %s: %w", op.ID, err)
			case op.Invalid != "":
				r.Status, r.Error = api.OpRejected, op.Invalid
				if _, err := tx.ExecContext(ctx, `INSERT INTO ops (firm_id, id, status, error, device_id, created_at)
					VALUES (?, ?, 'rejected', ?, ?, ?)`, firmID, op.ID, op.Invalid, deviceID, now); err != nil {
					return fmt.Errorf("op %s: %w", op.ID, err)
				}
			default:
				seq++
				if err := applyOp(ctx, tx, firmID, seq, op); err != nil {
					return fmt.Errorf("op %s: %w", op.ID, err)
				}
				data, err := json.Marshal(op.Client)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO changes (firm_id, seq, op_id, kind, entity_id, data, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, firmID, seq, op.ID, op.Kind, op.EntityID, data, now); err != nil {
					return fmt.Errorf("op %s: %w", op.ID, err)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO ops (firm_id, id, status, seq, device_id, created_at)
					VALUES (?, ?, 'applied', ?, ?, ?)`, firmID, op.ID, seq, deviceID, now); err != nil {
					return fmt.Errorf("op %s: %w", op.ID, err)
				}
				r.Status, r.Seq = api.OpApplied, seq
			}
			results[i] = r
		}
		if seq != startSeq {
			if _, err := tx.ExecContext(ctx, `UPDATE firms SET last_seq = ? WHERE id = ?`, seq, firmID); err != nil {
				return fmt.Errorf("firm %s: %w", firmID, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func applyOp(ctx context.Context, tx *sql.Tx, firmID string, seq int64, op Op) error {
	switch op.Kind {
	case api.KindClientPut:
		return putClient(ctx, tx, firmID, seq, op.EntityID, op.Client)
	}
	return fmt.Errorf("unknown op kind %q", op.Kind)
}
