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

	indexBell chan struct{} // clients were marked for the search index
	indexStop chan struct{}
	indexDone chan struct{}
	closeOnce sync.Once
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
	s := &Store{db: db, indexBell: make(chan struct{}, 1), indexStop: make(chan struct{}), indexDone: make(chan struct{})}
	go s.indexLoop()
	s.indexBell <- struct{}{} // what a migration or a killed process left marked
	return s, nil
}

// Close stops the search indexer and closes the database.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.indexStop)
		<-s.indexDone
	})
	return s.db.Close()
}

// Tx is one write transaction; entity files add their write methods to it.
type Tx struct {
	tx               *sql.Tx
	clientsUnindexed bool // clients were marked for the search index
}

// WithTx runs fn in one IMMEDIATE transaction.
func (s *Store) WithTx(ctx context.Context, fn func(*Tx) error) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	var t *Tx
	err := sqlite.WithTx(ctx, s.db, func(tx *sql.Tx) error {
		t = &Tx{tx: tx}
		return fn(t)
	})
	if err == nil && t.clientsUnindexed {
		select {
		case s.indexBell <- struct{}{}:
		default:
		}
	}
	return err
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
