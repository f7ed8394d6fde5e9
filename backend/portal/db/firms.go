package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
)

// CreateFirm creates a firm with its first staff user, whose password is already hashed.
func (d *DB) CreateFirm(ctx context.Context, name string, admin api.Staff, passwordHash string) (api.Firm, api.Staff, error) {
	firm := api.Firm{ID: ulid.Make().String(), Name: name}
	admin.ID = ulid.Make().String()
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO firms (id, name, created_at) VALUES (?, ?, ?)`,
			firm.ID, firm.Name, now); err != nil {
			return fmt.Errorf("create firm: %w", err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO staff (id, firm_id, email, name, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, admin.ID, firm.ID, admin.Email, admin.Name, passwordHash, now)
		if err != nil && strings.Contains(err.Error(), "UNIQUE") {
			return fmt.Errorf("staff email %s: %w", admin.Email, ErrExists)
		}
		if err != nil {
			return fmt.Errorf("create staff: %w", err)
		}
		return nil
	})
	return firm, admin, err
}

// FirmByName finds a firm by its exact name.
func (d *DB) FirmByName(ctx context.Context, name string) (api.Firm, error) {
	var f api.Firm
	err := d.sql.QueryRowContext(ctx, `SELECT id, name FROM firms WHERE name = ?`, name).Scan(&f.ID, &f.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("firm %q: %w", name, ErrNotFound)
	}
	return f, err
}
