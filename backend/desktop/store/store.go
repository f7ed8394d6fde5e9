// Package store is the desktop's SQLite database: one Store, one file per entity, plain SQL.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"portico/backend/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("not found")

type Store struct {
	db *sql.DB
	// SQLite has one writer at a time. Queueing writers here wakes the next one the moment the
	// last commits; waiting in SQLite's busy handler instead sleeps in steps of milliseconds.
	writeMu sync.Mutex
}

// Open opens or creates the database at path and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := sqlite.Migrate(ctx, db, migrations, "migrations"); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.reindexClients(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) Close() error { return s.db.Close() }

// Tx is one write transaction; entity files add their write methods to it.
type Tx struct {
	tx *sql.Tx
}

// WithTx runs fn in one IMMEDIATE transaction.
func (s *Store) WithTx(ctx context.Context, fn func(*Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return sqlite.WithTx(ctx, s.db, func(tx *sql.Tx) error { return fn(&Tx{tx: tx}) })
}

// querier is what both *sql.DB and *sql.Tx offer, so reads work in and out of transactions.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
