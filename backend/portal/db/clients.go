package db

import (
	"context"
	"database/sql"
	"fmt"

	"portico/backend/api"
)

// putClient replaces a client record and its people with c.
func putClient(ctx context.Context, tx *sql.Tx, firmID string, seq int64, id string, c *api.Client) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO clients (firm_id, id, name, archived, updated_seq) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (firm_id, id) DO UPDATE SET name = excluded.name, archived = excluded.archived,
			updated_seq = excluded.updated_seq`, firmID, id, c.Name, c.Archived, seq)
	if err != nil {
		return fmt.Errorf("put client: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM people WHERE firm_id = ? AND client_id = ?`, firmID, id); err != nil {
		return fmt.Errorf("put client: %w", err)
	}
	for i, p := range c.People {
		_, err := tx.ExecContext(ctx, `INSERT INTO people (firm_id, id, client_id, position, role, name, email, phone)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (firm_id, id) DO UPDATE SET client_id = excluded.client_id, position = excluded.position,
				role = excluded.role, name = excluded.name, email = excluded.email, phone = excluded.phone`,
			firmID, p.ID, id, i, p.Role, p.Name, p.Email, p.Phone)
		if err != nil {
			return fmt.Errorf("put person: %w", err)
		}
	}
	return nil
}
