package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"portico/backend/api"
)

// Todo is a to-do as the portal shows it to a client.
type Todo struct {
	ID         string
	ClientID   string
	ClientName string
	Signer     bool // the user signs the eSignature request it is for
	api.Todo
}

// clientExists is the check every staff op about a client's data makes first.
func clientExists(ctx context.Context, tx *sql.Tx, firmID, clientID string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM clients WHERE firm_id = ? AND id = ?`, firmID, clientID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return rejection("the portal has no client " + clientID)
	}
	return err
}

func (d *DB) putTodo(ctx context.Context, tx *sql.Tx, firmID, opID, id string, t *api.Todo) (int64, error) {
	if err := clientExists(ctx, tx, firmID, t.ClientID); err != nil {
		return 0, err
	}
	if t.PacketID != "" && !t.Deleted {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM packets WHERE firm_id = ? AND id = ?`, firmID, t.PacketID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			// A task for a request the portal refused would be a link to nothing.
			return 0, rejection("the portal has no signing request " + t.PacketID + " for this task")
		}
		if err != nil {
			return 0, err
		}
	}
	var doneAt any
	if t.DoneAt != nil {
		doneAt = t.DoneAt.UTC().Format(time.RFC3339Nano)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO todos (firm_id, id, client_id, title, description, due, state, done_at, done_by,
			deleted, updated_at, packet_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (firm_id, id) DO UPDATE SET client_id = excluded.client_id, title = excluded.title,
			description = excluded.description, due = excluded.due, state = excluded.state, done_at = excluded.done_at,
			done_by = excluded.done_by, deleted = excluded.deleted, updated_at = excluded.updated_at,
			packet_id = excluded.packet_id`,
		firmID, id, t.ClientID, t.Title, t.Description, t.Due, t.State, doneAt, t.DoneBy, t.Deleted, d.now(), t.PacketID)
	if err != nil {
		return 0, fmt.Errorf("put to-do: %w", err)
	}
	return appendChange(ctx, tx, firmID, opID, api.KindTodoPut, id, t, d.now())
}

// clientFilter is "alias.client_id IN (?, ...)" for a user's clients; a user with none
// matches nothing.
func clientFilter(alias string, ids []string) (string, []any) {
	if len(ids) == 0 {
		return "0", nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return alias + ".client_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// Todos lists a user's to-dos (by the client index: without statistics SQLite would rather
// walk every to-do of the firm): open ones by due date (undated last), then done ones, newest
// first. limit 0 means all.
func (d *DB) Todos(ctx context.Context, u User, onlyOpen bool, limit int) ([]Todo, error) {
	filter, args := clientFilter("t", u.ClientIDs)
	q := `SELECT t.id, t.client_id, c.name, t.title, t.description, t.due, t.state, t.done_at, t.done_by, t.packet_id,
			t.packet_id <> '' AND EXISTS (SELECT 1 FROM packet_signers s WHERE s.firm_id = t.firm_id AND s.packet_id = t.packet_id
				AND s.email = ?)
		FROM todos t INDEXED BY todos_client JOIN clients c ON c.firm_id = t.firm_id AND c.id = t.client_id
		WHERE t.firm_id = ? AND ` + filter + ` AND t.deleted = 0`
	if onlyOpen {
		q += ` AND t.state = 'open'`
	}
	q += ` ORDER BY t.state = 'done', CASE WHEN t.state = 'open' THEN (t.due = '') END, 
		CASE WHEN t.state = 'open' THEN t.due END, t.done_at DESC, t.title`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := d.sql.QueryContext(ctx, q, append([]any{u.Email, u.FirmID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("to-dos: %w", err)
	}
	defer rows.Close()
	var out []Todo
	for rows.Next() {
		var t Todo
		var doneAt sql.NullString
		if err := rows.Scan(&t.ID, &t.ClientID, &t.ClientName, &t.Title, &t.Description, &t.Due, &t.State, &doneAt, &t.DoneBy,
			&t.PacketID, &t.Signer); err != nil {
			return nil, err
		}
		t.Todo.ClientID, t.DoneAt = t.ClientID, timePtr(doneAt)
		out = append(out, t)
	}
	return out, rows.Err()
}

// CompleteTodo marks one of the user's open to-dos done and tells staff. A to-do of another
// client, or one that does not exist, is ErrNotFound: the client cannot tell them apart.
func (d *DB) CompleteTodo(ctx context.Context, u User, id string, ev Event) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		filter, args := clientFilter("t", u.ClientIDs)
		var t api.Todo
		var doneAt sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT t.client_id, t.title, t.description, t.due, t.state, t.done_at, t.done_by
			FROM todos t WHERE t.firm_id = ? AND t.id = ? AND t.deleted = 0 AND t.packet_id = '' AND `+filter,
			append([]any{u.FirmID, id}, args...)...).Scan(&t.ClientID, &t.Title, &t.Description, &t.Due, &t.State, &doneAt, &t.DoneBy)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if t.State == api.TodoDone {
			return nil // done already, perhaps in another tab
		}
		now := d.Now().UTC()
		t.State, t.DoneAt, t.DoneBy = api.TodoDone, &now, u.Email
		if _, err := tx.ExecContext(ctx, `UPDATE todos SET state = 'done', done_at = ?, done_by = ?, updated_at = ?
			WHERE firm_id = ? AND id = ?`, now.Format(time.RFC3339Nano), u.Email, d.now(), u.FirmID, id); err != nil {
			return err
		}
		if _, err := appendChange(ctx, tx, u.FirmID, "", api.KindTodoPut, id, t, d.now()); err != nil {
			return err
		}
		_, err = audit(ctx, tx, u.FirmID, u.ID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, d.now())
		return err
	})
	if err == nil {
		d.changed(u.FirmID)
	}
	return err
}
