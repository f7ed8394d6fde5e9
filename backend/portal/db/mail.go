package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"portico/backend/portal/mail"
)

// EnqueueMail queues a message for the mail worker; firmID may be "" for portal mail.
func (d *DB) EnqueueMail(ctx context.Context, firmID string, m mail.Message) (int64, error) {
	id, err := enqueueMail(ctx, d.sql, firmID, m, d.now())
	if err == nil {
		d.mailQueued()
	}
	return id, err
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func enqueueMail(ctx context.Context, x execer, firmID string, m mail.Message, now string) (int64, error) {
	var firm any
	if firmID != "" {
		firm = firmID
	}
	attachments, err := json.Marshal(m.Attachments)
	if err != nil {
		return 0, err
	}
	res, err := x.ExecContext(ctx, `INSERT INTO mail_queue
		(firm_id, from_name, to_name, to_addr, subject, body_text, body_html, attachments, next_attempt, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, firm, m.FromName, m.ToName, m.ToAddr, m.Subject, m.Text, m.HTML,
		string(attachments), now, now)
	if err != nil {
		return 0, fmt.Errorf("queue mail: %w", err)
	}
	return res.LastInsertId()
}

// Kinds of notice: mail the database queues as facts, for portal/web to write when sent.
const (
	NoticeInvite = "invite" // data: InviteMail
	NoticeSign   = "sign"   // data: SignMail
)

// enqueueNotice queues a notice of kind to toName <toAddr> with its facts.
func enqueueNotice(ctx context.Context, x execer, firmID, kind, toName, toAddr string, facts any, now string) (int64, error) {
	data, err := json.Marshal(facts)
	if err != nil {
		return 0, err
	}
	res, err := x.ExecContext(ctx, `INSERT INTO mail_queue
		(firm_id, from_name, to_name, to_addr, subject, body_text, body_html, attachments, next_attempt, created_at, kind, data)
		VALUES (?, '', ?, ?, '', '', '', 'null', ?, ?, ?, ?)`, firmID, toName, toAddr, now, now, kind, string(data))
	if err != nil {
		return 0, fmt.Errorf("queue %s mail: %w", kind, err)
	}
	return res.LastInsertId()
}

// DueMail returns unsent messages whose next attempt is due, oldest first.
func (d *DB) DueMail(ctx context.Context, now time.Time, limit int) ([]mail.Queued, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT id, from_name, to_name, to_addr, subject, body_text, body_html, attachments, attempts, kind, data
		FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt <= ? ORDER BY id LIMIT ?`,
		now.UTC().Format(time.RFC3339Nano), limit)
	if err != nil {
		return nil, fmt.Errorf("due mail: %w", err)
	}
	defer rows.Close()
	var out []mail.Queued
	for rows.Next() {
		var q mail.Queued
		m := &q.Message
		var attachments, data string
		if err := rows.Scan(&q.ID, &m.FromName, &m.ToName, &m.ToAddr, &m.Subject, &m.Text, &m.HTML, &attachments, &q.Attempts, &q.Kind, &data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(attachments), &m.Attachments); err != nil {
			return nil, fmt.Errorf("mail %d attachments: %w", q.ID, err)
		}
		if q.Kind != "" {
			q.Data = []byte(data)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// MailSent records a message sent. A notice forgets its facts: the link in them is the
// recipient's now, and the database keeps only its hash.
func (d *DB) MailSent(ctx context.Context, id int64, at time.Time) error {
	_, err := d.sql.ExecContext(ctx, `UPDATE mail_queue SET sent_at = ?, attempts = attempts + 1, last_error = '', data = ''
		WHERE id = ?`, at.UTC().Format(time.RFC3339Nano), id)
	return err
}

func (d *DB) MailFailed(ctx context.Context, id int64, reason string, retryAt time.Time) error {
	_, err := d.sql.ExecContext(ctx, `UPDATE mail_queue SET attempts = attempts + 1, last_error = ?, next_attempt = ?
		WHERE id = ?`, reason, retryAt.UTC().Format(time.RFC3339Nano), id)
	return err
}

// MailGaveUp keeps a message that will not be sent, with why; the invitation it carried
// shows staff it was not delivered.
func (d *DB) MailGaveUp(ctx context.Context, id int64, reason string) error {
	var firmID string
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		if _, err := tx.ExecContext(ctx, `UPDATE mail_queue SET attempts = attempts + 1, last_error = ?, failed_at = ?
			WHERE id = ?`, reason, now, id); err != nil {
			return err
		}
		var userID string
		err := tx.QueryRowContext(ctx, `SELECT firm_id, user_id FROM invitations WHERE mail_id = ?`, id).Scan(&firmID, &userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = emitUser(ctx, tx, firmID, "", userID, now)
		return err
	})
	if err == nil && firmID != "" {
		d.changed(firmID) // once committed: the long polls read what woke them
	}
	return err
}

// MailCounts counts queued and sent messages.
func (d *DB) MailCounts(ctx context.Context) (queued, sent int, err error) {
	err = d.sql.QueryRowContext(ctx, `SELECT COALESCE(SUM(sent_at IS NULL), 0), COALESCE(SUM(sent_at IS NOT NULL), 0)
		FROM mail_queue`).Scan(&queued, &sent)
	return queued, sent, err
}
