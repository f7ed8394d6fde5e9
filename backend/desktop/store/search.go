package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
)

// The client search index (clients_fts) is brought up to date after the write that changed a
// client, not inside it: FTS5 writes a new segment at every commit, a third of the cost of
// creating a client, where one pass over a burst (an import, another desktop's 10,000) writes
// one. A write marks the client in clients_unindexed; a search indexes what is marked before
// it looks, so it never misses a client already saved.

// indexLinger lets a burst of writes gather before the index is brought up to date.
const indexLinger = 50 * time.Millisecond

// indexBatch bounds one indexing transaction, so staff's writes wait for none for long.
const indexBatch = 2000

// indexLoop indexes marked clients shortly after each write that marked some, until Close.
func (s *Store) indexLoop() {
	defer close(s.indexDone)
	for {
		select {
		case <-s.indexStop:
			return
		case <-s.indexBell:
		}
		select {
		case <-s.indexStop:
			return
		case <-time.After(indexLinger):
		}
		if err := s.IndexClients(context.Background()); err != nil {
			slog.Warn("store: indexing clients for search", "err", err)
		}
	}
}

// IndexClients brings the search index up to date with every client written since.
func (s *Store) IndexClients(ctx context.Context) error {
	for {
		var pending bool
		err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM clients_unindexed)`).Scan(&pending)
		if err != nil {
			return fmt.Errorf("index clients: %w", err)
		}
		if !pending {
			return nil
		}
		if err := s.WithTx(ctx, func(tx *Tx) error { return tx.indexMarked(ctx, indexBatch) }); err != nil {
			return err
		}
	}
}

// indexMarked replaces the search rows of up to limit marked clients and unmarks them.
func (t *Tx) indexMarked(ctx context.Context, limit int) error {
	rows, err := t.tx.QueryContext(ctx, `SELECT u.rid, COALESCE(c.id, ''), COALESCE(c.name, '')
		FROM clients_unindexed u LEFT JOIN clients c ON c.rid = u.rid LIMIT ?`, limit)
	if err != nil {
		return fmt.Errorf("index clients: %w", err)
	}
	type marked struct {
		rid      int64
		id, name string
	}
	var all []marked
	for rows.Next() {
		var m marked
		if err := rows.Scan(&m.rid, &m.id, &m.name); err != nil {
			rows.Close()
			return fmt.Errorf("index clients: %w", err)
		}
		all = append(all, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index clients: %w", err)
	}
	for _, m := range all {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM clients_fts WHERE rowid = ?`, m.rid); err != nil {
			return fmt.Errorf("index client %s: %w", m.id, err)
		}
		if m.id != "" {
			people, err := peopleOf(ctx, t.tx, m.id)
			if err != nil {
				return err
			}
			if err := t.indexClient(ctx, m.rid, m.name, people); err != nil {
				return fmt.Errorf("index client %s: %w", m.id, err)
			}
		}
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM clients_unindexed WHERE rid = ?`, m.rid); err != nil {
			return fmt.Errorf("index client %s: %w", m.id, err)
		}
	}
	return nil
}

// indexClient adds a client's search row: its and its people's names, emails, and phones
// both as written and as bare digits, so "5550199" finds (555) 01-99.
func (t *Tx) indexClient(ctx context.Context, rid int64, name string, people []Person) error {
	var emails, phones []string
	for _, p := range people {
		name += " " + p.Name
		if p.Email != "" {
			emails = append(emails, p.Email)
		}
		if p.Phone != "" {
			phones = append(phones, p.Phone, digits(p.Phone))
		}
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO clients_fts (rowid, name, emails, phones) VALUES (?, ?, ?, ?)`,
		rid, name, strings.Join(emails, " "), strings.Join(phones, " "))
	return err
}

// matchesMore tells whether more than n clients match an FTS query; it reads at most n+1.
func (s *Store) matchesMore(ctx context.Context, match string, n int) (bool, error) {
	var count int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ? LIMIT ?)`,
		match, n+1).Scan(&count)
	if err != nil {
		return false, fmt.Errorf("list clients: %w", err)
	}
	return count > n, nil
}

// ftsQuery turns what staff typed into an FTS5 query: every word must prefix-match a token.
// Words are split like the index splits them, so "jane@exa" finds jane@example.com and
// "555-01" finds 555-0199; quoting each word keeps FTS5 syntax out of user input.
func ftsQuery(search string) string {
	words := strings.FieldsFunc(search, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
