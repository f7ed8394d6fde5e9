package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
)

// Device is a signed-in desktop.
type Device struct {
	ID    string
	Firm  api.Firm
	Staff api.Staff
}

// CreateDevice records a new device token by its hash.
func (d *DB) CreateDevice(ctx context.Context, firmID, staffID, name string, tokenHash []byte) (string, error) {
	id := ulid.Make().String()
	_, err := d.sql.ExecContext(ctx, `INSERT INTO devices (id, firm_id, staff_id, token_hash, name, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, id, firmID, staffID, tokenHash, name, d.now())
	if err != nil {
		return "", fmt.Errorf("create device: %w", err)
	}
	return id, nil
}

// DeviceByToken finds the live device whose token hashes to tokenHash.
func (d *DB) DeviceByToken(ctx context.Context, tokenHash []byte) (Device, error) {
	var dev Device
	err := d.sql.QueryRowContext(ctx, `SELECT d.id, f.id, f.name, s.id, s.name, s.email
		FROM devices d JOIN firms f ON f.id = d.firm_id JOIN staff s ON s.id = d.staff_id
		WHERE d.token_hash = ? AND d.revoked_at IS NULL`, tokenHash).
		Scan(&dev.ID, &dev.Firm.ID, &dev.Firm.Name, &dev.Staff.ID, &dev.Staff.Name, &dev.Staff.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return dev, fmt.Errorf("device: %w", ErrNotFound)
	}
	return dev, err
}

// RevokeDevice ends a device's token for good.
func (d *DB) RevokeDevice(ctx context.Context, firmID, id string) error {
	_, err := d.sql.ExecContext(ctx, `UPDATE devices SET revoked_at = ? WHERE firm_id = ? AND id = ? AND revoked_at IS NULL`,
		d.now(), firmID, id)
	if err != nil {
		return fmt.Errorf("revoke device: %w", err)
	}
	return nil
}
