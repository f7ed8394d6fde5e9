package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// appendChange adds one entry to the firm's change feed and returns its sequence number.
// opID is the staff op it answers, or "" for what the portal did by itself (a client
// accepting an invitation, say).
func appendChange(ctx context.Context, tx *sql.Tx, firmID, opID, kind, entityID string, data any, now string) (int64, error) {
	body, err := json.Marshal(data)
	if err != nil {
		return 0, err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `UPDATE firms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq`,
		firmID).Scan(&seq); err != nil {
		return 0, fmt.Errorf("firm %s: %w", firmID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO changes (firm_id, seq, op_id, kind, entity_id, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, firmID, seq, opID, kind, entityID, body, now); err != nil {
		return 0, fmt.Errorf("change %s %s: %w", kind, entityID, err)
	}
	return seq, nil
}

func (d *DB) changed(firmID string) {
	if d.Changed != nil {
		d.Changed(firmID)
	}
}

func (d *DB) mailQueued() {
	if d.MailQueued != nil {
		d.MailQueued()
	}
}
