package db

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
)

// Event is a security event to record: what happened, from where.
type Event struct {
	Name, Detail  string
	IP, UserAgent string
}

// Audit records a security event of a user and puts it in the feed for staff.
func (d *DB) Audit(ctx context.Context, u User, ev Event) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		_, err := audit(ctx, tx, u.FirmID, u.ID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, d.now())
		return err
	})
	if err == nil {
		d.changed(u.FirmID)
	}
	return err
}

func audit(ctx context.Context, tx *sql.Tx, firmID, userID, event, detail, ip, ua, now string) (int64, error) {
	id := ulid.Make().String()
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, firm_id, user_id, event, detail, ip, user_agent, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, firmID, userID, event, detail, ip, ua, now); err != nil {
		return 0, fmt.Errorf("audit %s: %w", event, err)
	}
	ev := api.AuditEvent{UserID: userID, Event: event, Detail: detail, IP: ip, UserAgent: ua, At: parseTime(now)}
	if err := tx.QueryRowContext(ctx, `SELECT email FROM portal_users WHERE id = ?`, userID).Scan(&ev.Email); err != nil {
		return 0, fmt.Errorf("audit %s: %w", event, err)
	}
	var err error
	if ev.ClientIDs, err = userClients(ctx, tx, userID); err != nil {
		return 0, err
	}
	return appendChange(ctx, tx, firmID, "", api.KindPortalAudit, id, ev, now)
}

// AuditEvents returns a user's events, newest first; tests use it.
func (d *DB) AuditEvents(ctx context.Context, userID string) ([]string, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT event FROM audit_log WHERE user_id = ? ORDER BY at DESC, rowid DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
