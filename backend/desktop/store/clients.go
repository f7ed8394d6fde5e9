package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Client is a client record with its people, as the UI shows and edits it.
type Client struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Archived     bool      `json:"archived"`
	PortalStatus string    `json:"portalStatus"`
	People       []Person  `json:"people"`
	CreatedAt    time.Time `json:"createdAt" ts_type:"string"`
	UpdatedAt    time.Time `json:"updatedAt" ts_type:"string"`
}

type Person struct {
	ID    string `json:"id"`
	Role  string `json:"role"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// ClientSummary is one row of the Clients list: the primary contact's email and phone.
type ClientSummary struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Email        string    `json:"email"`
	Phone        string    `json:"phone"`
	PortalStatus string    `json:"portalStatus"`
	Archived     bool      `json:"archived"`
	UpdatedAt    time.Time `json:"updatedAt" ts_type:"string"`
}

// PutClient writes the whole record: the client row, exactly these people, the search index.
func (t *Tx) PutClient(ctx context.Context, c Client) error {
	if c.PortalStatus == "" {
		c.PortalStatus = "none"
	}
	var rid int64
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO clients (id, name, archived, portal_status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, archived = excluded.archived,
			updated_at = excluded.updated_at
		RETURNING rid`,
		c.ID, c.Name, c.Archived, c.PortalStatus, formatTime(c.CreatedAt), formatTime(c.UpdatedAt),
	).Scan(&rid)
	if err != nil {
		return fmt.Errorf("put client %s: %w", c.ID, err)
	}
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM people WHERE client_id = ?`, c.ID); err != nil {
		return fmt.Errorf("put client %s: %w", c.ID, err)
	}
	var emails, phones []string
	for i, p := range c.People {
		_, err := t.tx.ExecContext(ctx, `
			INSERT INTO people (id, client_id, position, role, name, email, phone)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, position = excluded.position,
				role = excluded.role, name = excluded.name, email = excluded.email, phone = excluded.phone`,
			p.ID, c.ID, i, p.Role, p.Name, p.Email, p.Phone)
		if err != nil {
			return fmt.Errorf("put person %s: %w", p.ID, err)
		}
		if p.Email != "" {
			emails = append(emails, p.Email)
		}
		if p.Phone != "" {
			phones = append(phones, p.Phone, digits(p.Phone))
		}
	}
	names := c.Name
	for _, p := range c.People {
		names += " " + p.Name
	}
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM clients_fts WHERE rowid = ?`, rid); err != nil {
		return fmt.Errorf("index client %s: %w", c.ID, err)
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO clients_fts (rowid, name, emails, phones) VALUES (?, ?, ?, ?)`,
		rid, names, strings.Join(emails, " "), strings.Join(phones, " "))
	if err != nil {
		return fmt.Errorf("index client %s: %w", c.ID, err)
	}
	return nil
}

// Client reads one client inside the transaction.
func (t *Tx) Client(ctx context.Context, id string) (Client, error) { return getClient(ctx, t.tx, id) }

// Client reads one client with its people.
func (s *Store) Client(ctx context.Context, id string) (Client, error) {
	return getClient(ctx, s.db, id)
}

func getClient(ctx context.Context, q querier, id string) (Client, error) {
	var c Client
	var created, updated string
	err := q.QueryRowContext(ctx, `SELECT id, name, archived, portal_status, created_at, updated_at
		FROM clients WHERE id = ?`, id).Scan(&c.ID, &c.Name, &c.Archived, &c.PortalStatus, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Client{}, fmt.Errorf("client %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Client{}, fmt.Errorf("client %s: %w", id, err)
	}
	c.CreatedAt, c.UpdatedAt = parseTime(created), parseTime(updated)
	rows, err := q.QueryContext(ctx, `SELECT id, role, name, email, phone FROM people
		WHERE client_id = ? ORDER BY position`, id)
	if err != nil {
		return Client{}, fmt.Errorf("people of %s: %w", id, err)
	}
	defer rows.Close()
	c.People = []Person{}
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.Role, &p.Name, &p.Email, &p.Phone); err != nil {
			return Client{}, err
		}
		c.People = append(c.People, p)
	}
	return c, rows.Err()
}

// EmailOwner names the client and person using email, other than client exceptID.
// found is false when nobody does.
func (t *Tx) EmailOwner(ctx context.Context, email, exceptID string) (client, person string, found bool, err error) {
	err = t.tx.QueryRowContext(ctx, `SELECT c.name, p.name FROM people p JOIN clients c ON c.id = p.client_id
		WHERE p.email = ? COLLATE NOCASE AND p.email <> '' AND p.client_id <> ? LIMIT 1`, email, exceptID).Scan(&client, &person)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("email lookup: %w", err)
	}
	return client, person, true, nil
}

// ListClients returns clients by name, filtered by a search of names, emails and phones.
func (s *Store) ListClients(ctx context.Context, search string, includeArchived bool, limit int) ([]ClientSummary, error) {
	const cols = `c.id, c.name, c.portal_status, c.archived, c.updated_at,
		COALESCE(p.email, ''), COALESCE(p.phone, '')`
	const join = `LEFT JOIN people p ON p.id = (SELECT id FROM people WHERE client_id = c.id ORDER BY position LIMIT 1)`
	archived := ""
	if !includeArchived {
		archived = "AND c.archived = 0"
	}
	var rows *sql.Rows
	var err error
	if match := ftsQuery(search); match != "" {
		rows, err = s.db.QueryContext(ctx, `SELECT `+cols+` FROM clients_fts f
			JOIN clients c ON c.rid = f.rowid `+join+`
			WHERE clients_fts MATCH ? `+archived+` ORDER BY c.name COLLATE NOCASE LIMIT ?`, match, limit)
	} else {
		rows, err = s.db.QueryContext(ctx, `SELECT `+cols+` FROM clients c `+join+`
			WHERE 1 `+archived+` ORDER BY c.name COLLATE NOCASE LIMIT ?`, limit)
	}
	if err != nil {
		return nil, fmt.Errorf("list clients: %w", err)
	}
	defer rows.Close()
	list := []ClientSummary{}
	for rows.Next() {
		var c ClientSummary
		var updated string
		if err := rows.Scan(&c.ID, &c.Name, &c.PortalStatus, &c.Archived, &updated, &c.Email, &c.Phone); err != nil {
			return nil, err
		}
		c.UpdatedAt = parseTime(updated)
		list = append(list, c)
	}
	return list, rows.Err()
}

// CountClients counts every client row, archived or not.
func (s *Store) CountClients(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients`).Scan(&n)
	return n, err
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
