package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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

// PutClient writes the whole record: the client row and exactly these people. The search
// index follows after the commit (see search.go).
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
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT OR IGNORE INTO clients_unindexed (rid) VALUES (?)`, rid); err != nil {
		return fmt.Errorf("put client %s: %w", c.ID, err)
	}
	t.clientsUnindexed = true
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
	c.People, err = peopleOf(ctx, q, id)
	if err != nil {
		return Client{}, err
	}
	return c, nil
}

// peopleOf reads a client's people in their order.
func peopleOf(ctx context.Context, q querier, clientID string) ([]Person, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, role, name, email, phone FROM people
		WHERE client_id = ? ORDER BY position`, clientID)
	if err != nil {
		return nil, fmt.Errorf("people of %s: %w", clientID, err)
	}
	defer rows.Close()
	people := []Person{}
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.Role, &p.Name, &p.Email, &p.Phone); err != nil {
			return nil, fmt.Errorf("people of %s: %w", clientID, err)
		}
		people = append(people, p)
	}
	return people, rows.Err()
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
	archived := ""
	if !includeArchived {
		archived = "AND c.archived = 0"
	}
	// The page of clients is chosen first and only its rows are joined to their primary
	// contact: joining every match before the sort cost more than the search itself.
	page := `SELECT c.* FROM clients c WHERE 1 ` + archived + ` ORDER BY c.name COLLATE NOCASE LIMIT ?`
	args := []any{limit}
	if match := ftsQuery(search); match != "" {
		if err := s.IndexClients(ctx); err != nil {
			return nil, err
		}
		args = []any{match, limit}
		broad, err := s.matchesMore(ctx, match, 2*limit)
		if err != nil {
			return nil, err
		}
		if broad {
			// A search most clients match ("s", an area code) walks the clients in name
			// order and stops at a page of matches, instead of sorting every match.
			page = `SELECT c.* FROM clients c INDEXED BY clients_name
				WHERE c.rid IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?) ` + archived + `
				ORDER BY c.name COLLATE NOCASE LIMIT ?`
		} else {
			page = `SELECT c.* FROM clients_fts f JOIN clients c ON c.rid = f.rowid
				WHERE clients_fts MATCH ? ` + archived + ` ORDER BY c.name COLLATE NOCASE LIMIT ?`
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.name, c.portal_status, c.archived, c.updated_at,
			COALESCE(p.email, ''), COALESCE(p.phone, '')
		FROM (`+page+`) c
		LEFT JOIN people p ON p.id = (SELECT id FROM people WHERE client_id = c.id ORDER BY position LIMIT 1)
		ORDER BY c.name COLLATE NOCASE`, args...)
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
