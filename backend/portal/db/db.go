// Package db is portald's storage: one DB type, one file per entity, plain SQL, every
// query scoped by firm.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"time"

	"portico/backend/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
)

type DB struct {
	sql *sql.DB
	Now func() time.Time

	// Hooks the server sets: Changed wakes the firm's long polls after a commit that added
	// to its feed; MailQueued wakes the mail worker.
	Changed    func(firmID string)
	MailQueued func()
}

// OpenSQLite opens or creates the SQLite database at path and migrates it.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	sdb, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := sqlite.Migrate(ctx, sdb, migrations, "migrations"); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return &DB{sql: sdb, Now: time.Now}, nil
}

func (d *DB) Close() error { return d.sql.Close() }

// Ping tells whether the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.sql.PingContext(ctx) }

func (d *DB) withTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return sqlite.WithTx(ctx, d.sql, fn)
}

func (d *DB) now() string { return d.Now().UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
