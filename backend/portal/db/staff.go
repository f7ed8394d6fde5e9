package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"portico/backend/api"
)

// StaffByEmail returns a staff user, their firm and password hash.
func (d *DB) StaffByEmail(ctx context.Context, email string) (api.Staff, api.Firm, string, error) {
	var s api.Staff
	var f api.Firm
	var hash string
	err := d.sql.QueryRowContext(ctx, `SELECT s.id, s.name, s.email, s.password_hash, f.id, f.name
		FROM staff s JOIN firms f ON f.id = s.firm_id WHERE s.email = ?`, email).
		Scan(&s.ID, &s.Name, &s.Email, &hash, &f.ID, &f.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return s, f, "", fmt.Errorf("staff %s: %w", email, ErrNotFound)
	}
	return s, f, hash, err
}
