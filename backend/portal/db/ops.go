package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"portico/backend/api"
)

// Op is a pushed op after the server checked it: Invalid says why it can never apply.
type Op struct {
	api.Op
	Client     *api.Client // client.put
	Invite     *api.Invite // portal.invite
	Revoke     *api.Revoke // portal.revoke
	Todo       *api.Todo
	Invoice    *api.Invoice
	Payment    *api.Payment
	Schedule   *api.Schedule
	Help       *api.Help
	File       *api.File
	Packet     *api.Packet
	PacketVoid *api.PacketVoid
	Invalid    string
}

// rejection is an op that passed the server's checks but cannot apply to what the database
// holds (an invitation for a client the portal never received, say). It is recorded as
// rejected; the transaction goes on.
type rejection string

func (r rejection) Error() string { return string(r) }

// ApplyOps applies a batch in one transaction. An op seen before is answered with its first
// result and not applied again; that is what makes retries safe. The kinds in rules are
// applied by them; the others are stored as sent.
func (d *DB) ApplyOps(ctx context.Context, firmID, deviceID string, ops []Op, rules Appliers) ([]api.OpResult, error) {
	results := make([]api.OpResult, len(ops))
	t := &Tx{now: d.Now().UTC(), firms: map[string]bool{firmID: true}}
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		t.sql = tx
		now := t.nowText()
		reject := func(op Op, why string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO ops (firm_id, id, status, error, device_id, created_at)
				VALUES (?, ?, 'rejected', ?, ?, ?)`, firmID, op.ID, why, deviceID, now)
			return err
		}
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
				if err := reject(op, op.Invalid); err != nil {
					return fmt.Errorf("op %s: %w", op.ID, err)
				}
			default:
				var seq int64
				var err error
				if apply, ok := rules[op.Kind]; ok {
					seq, err = apply(ctx, t, firmID, op)
				} else {
					seq, err = d.applyOp(ctx, tx, firmID, op)
				}
				var rej rejection
				if errors.As(err, &rej) {
					r.Status, r.Error = api.OpRejected, rej.Error()
					if err := reject(op, rej.Error()); err != nil {
						return fmt.Errorf("op %s: %w", op.ID, err)
					}
					break
				}
				if err != nil {
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
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.woke(t)
	return results, nil
}

// applyOp stores one op and its changes; seq is the last change's.
func (d *DB) applyOp(ctx context.Context, tx *sql.Tx, firmID string, op Op) (seq int64, err error) {
	switch op.Kind {
	case api.KindClientPut:
		seq, err = appendChange(ctx, tx, firmID, op.ID, op.Kind, op.EntityID, op.Client, d.now())
		if err != nil {
			return 0, err
		}
		return seq, putClient(ctx, tx, firmID, seq, op.EntityID, op.Client)
	case api.KindTodoPut:
		return d.putTodo(ctx, tx, firmID, op.ID, op.EntityID, op.Todo)
	case api.KindInvoicePut:
		return d.putInvoice(ctx, tx, firmID, op.ID, op.EntityID, op.Invoice)
	case api.KindPaymentPut:
		return d.putPayment(ctx, tx, firmID, op.ID, op.EntityID, op.Payment)
	case api.KindSchedulePut:
		return d.putSchedule(ctx, tx, firmID, op.ID, op.Schedule)
	case api.KindHelpPut:
		return d.putHelp(ctx, tx, firmID, op.ID, op.Help)
	case api.KindFilePut:
		return d.putFile(ctx, tx, firmID, op.ID, op.EntityID, op.File)
	}
	return 0, fmt.Errorf("unknown op kind %q", op.Kind)
}
