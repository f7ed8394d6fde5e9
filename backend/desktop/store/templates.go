package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InviteTemplate is an invitation email the firm reuses.
type InviteTemplate struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Subject   string    `json:"subject"`
	Body      string    `json:"body"`
	IsDefault bool      `json:"isDefault"`
	UpdatedAt time.Time `json:"updatedAt" ts_type:"string"`
}

// InviteTemplates lists the templates, the default first.
func (s *Store) InviteTemplates(ctx context.Context) ([]InviteTemplate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, subject, body, is_default, updated_at FROM invite_templates
		ORDER BY is_default DESC, name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	defer rows.Close()
	out := []InviteTemplate{}
	for rows.Next() {
		var t InviteTemplate
		var updated string
		if err := rows.Scan(&t.ID, &t.Name, &t.Subject, &t.Body, &t.IsDefault, &updated); err != nil {
			return nil, err
		}
		t.UpdatedAt = parseTime(updated)
		out = append(out, t)
	}
	return out, rows.Err()
}

// InviteTemplate returns one template by id ("" for the default).
func (s *Store) InviteTemplate(ctx context.Context, id string) (InviteTemplate, error) {
	var t InviteTemplate
	var updated string
	q := `SELECT id, name, subject, body, is_default, updated_at FROM invite_templates WHERE id = ?`
	args := []any{id}
	if id == "" {
		q, args = `SELECT id, name, subject, body, is_default, updated_at FROM invite_templates WHERE is_default = 1`, nil
	}
	err := s.db.QueryRowContext(ctx, q, args...).Scan(&t.ID, &t.Name, &t.Subject, &t.Body, &t.IsDefault, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return t, ErrNotFound
	}
	t.UpdatedAt = parseTime(updated)
	return t, err
}

// PutInviteTemplate creates or replaces a template; a new default unmarks the old one.
func (t *Tx) PutInviteTemplate(ctx context.Context, tpl InviteTemplate) error {
	if tpl.IsDefault {
		if _, err := t.tx.ExecContext(ctx, `UPDATE invite_templates SET is_default = 0 WHERE is_default = 1 AND id <> ?`, tpl.ID); err != nil {
			return err
		}
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO invite_templates (id, name, subject, body, is_default, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, subject = excluded.subject,
		body = excluded.body, is_default = excluded.is_default, updated_at = excluded.updated_at`,
		tpl.ID, tpl.Name, tpl.Subject, tpl.Body, tpl.IsDefault, formatTime(tpl.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save template: %w", err)
	}
	return nil
}

// DeleteInviteTemplate removes a template that is not the default.
func (t *Tx) DeleteInviteTemplate(ctx context.Context, id string) error {
	_, err := t.tx.ExecContext(ctx, `DELETE FROM invite_templates WHERE id = ? AND is_default = 0`, id)
	return err
}

// CountInviteTemplates counts templates, to seed the first.
func (t *Tx) CountInviteTemplates(ctx context.Context) (int, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM invite_templates`).Scan(&n)
	return n, err
}
