package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"portico/backend/api"
)

// Todo is a client's to-do on this desktop.
type Todo struct {
	ID string `json:"id"`
	api.Todo
	UpdatedAt time.Time `json:"updatedAt" ts_type:"string"`
}

func (t *Tx) PutTodo(ctx context.Context, td Todo) error {
	var doneAt any
	if td.DoneAt != nil {
		doneAt = formatTime(*td.DoneAt)
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO todos (id, client_id, title, description, due, state, done_at, done_by, deleted, updated_at, packet_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id,
		title = excluded.title, description = excluded.description, due = excluded.due, state = excluded.state,
		done_at = excluded.done_at, done_by = excluded.done_by, deleted = excluded.deleted, updated_at = excluded.updated_at,
		packet_id = excluded.packet_id`,
		td.ID, td.ClientID, td.Title, td.Description, td.Due, td.State, doneAt, td.DoneBy, td.Deleted, formatTime(td.UpdatedAt),
		td.PacketID)
	if err != nil {
		return fmt.Errorf("save to-do: %w", err)
	}
	return nil
}

const todoCols = `id, client_id, title, description, due, state, done_at, done_by, deleted, updated_at, packet_id`

func scanTodo(row interface{ Scan(...any) error }) (Todo, error) {
	var td Todo
	var doneAt sql.NullString
	var updated string
	err := row.Scan(&td.ID, &td.ClientID, &td.Title, &td.Description, &td.Due, &td.State, &doneAt, &td.DoneBy, &td.Deleted, &updated, &td.PacketID)
	if doneAt.Valid {
		at := parseTime(doneAt.String)
		td.DoneAt = &at
	}
	td.UpdatedAt = parseTime(updated)
	return td, err
}

func (t *Tx) Todo(ctx context.Context, id string) (Todo, error) {
	td, err := scanTodo(t.tx.QueryRowContext(ctx, `SELECT `+todoCols+` FROM todos WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return td, ErrNotFound
	}
	return td, err
}

// TodosOfClient lists a client's to-dos: open ones by due date, then done ones.
func (s *Store) TodosOfClient(ctx context.Context, clientID string) ([]Todo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+todoCols+` FROM todos WHERE client_id = ? AND deleted = 0
		ORDER BY state = 'done', due = '', due, done_at DESC, title`, clientID)
	if err != nil {
		return nil, fmt.Errorf("to-dos: %w", err)
	}
	defer rows.Close()
	out := []Todo{}
	for rows.Next() {
		td, err := scanTodo(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, td)
	}
	return out, rows.Err()
}
