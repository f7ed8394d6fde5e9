package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Packet states on this desktop: draft and queued are its own; the rest are the portal's.
const (
	PacketDraft  = "draft"
	PacketQueued = "queued" // goes out with the next sync
)

// Packet is an eSignature packet as this desktop keeps it.
type Packet struct {
	ID        string
	ClientID  string
	FileID    string
	Draft     []byte // JSON of the editor's packet
	State     string
	SHA256    string
	Size      int64
	Pages     int
	TodoID    string
	Pushed    bool
	Status    []byte // JSON of the portal's api.PacketState; nil before it answered
	Error     string
	UploadURL string
	CreatedAt time.Time
	UpdatedAt time.Time
	SentAt    *time.Time
}

const packetCols = `id, client_id, file_id, draft, state, sha256, size, pages, todo_id, pushed, status, error,
	upload_url, created_at, updated_at, sent_at`

func scanPacket(row interface{ Scan(...any) error }) (Packet, error) {
	var p Packet
	var draft, status, created, updated string
	var sent sql.NullString
	err := row.Scan(&p.ID, &p.ClientID, &p.FileID, &draft, &p.State, &p.SHA256, &p.Size, &p.Pages, &p.TodoID,
		&p.Pushed, &status, &p.Error, &p.UploadURL, &created, &updated, &sent)
	p.Draft = []byte(draft)
	if status != "" {
		p.Status = []byte(status)
	}
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
	if sent.Valid {
		t := parseTime(sent.String)
		p.SentAt = &t
	}
	return p, err
}

func (t *Tx) PutPacket(ctx context.Context, p Packet) error {
	var sent any
	if p.SentAt != nil {
		sent = formatTime(*p.SentAt)
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO packets (`+packetCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, file_id = excluded.file_id,
			draft = excluded.draft, state = excluded.state, sha256 = excluded.sha256, size = excluded.size,
			pages = excluded.pages, todo_id = excluded.todo_id, pushed = excluded.pushed, status = excluded.status,
			error = excluded.error, upload_url = excluded.upload_url, updated_at = excluded.updated_at,
			sent_at = excluded.sent_at`,
		p.ID, p.ClientID, p.FileID, string(p.Draft), p.State, p.SHA256, p.Size, p.Pages, p.TodoID, p.Pushed,
		string(p.Status), p.Error, p.UploadURL, formatTime(p.CreatedAt), formatTime(p.UpdatedAt), sent)
	if err != nil {
		return fmt.Errorf("save packet: %w", err)
	}
	return nil
}

func (t *Tx) DeletePacket(ctx context.Context, id string) error {
	_, err := t.tx.ExecContext(ctx, `DELETE FROM packets WHERE id = ?`, id)
	return err
}

func (t *Tx) Packet(ctx context.Context, id string) (Packet, error) {
	p, err := scanPacket(t.tx.QueryRowContext(ctx, `SELECT `+packetCols+` FROM packets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

func (s *Store) Packet(ctx context.Context, id string) (Packet, error) {
	p, err := scanPacket(s.db.QueryRowContext(ctx, `SELECT `+packetCols+` FROM packets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// PacketsOfClient lists a client's packets, newest first.
func (s *Store) PacketsOfClient(ctx context.Context, clientID string) ([]Packet, error) {
	return s.packets(ctx, `WHERE client_id = ? ORDER BY created_at DESC, id DESC`, clientID)
}

// UnpushedPackets are sent packets whose PDF has not reached the portal yet.
func (s *Store) UnpushedPackets(ctx context.Context) ([]Packet, error) {
	return s.packets(ctx, `WHERE state = 'queued' AND pushed = 0 ORDER BY created_at, id`)
}

func (s *Store) packets(ctx context.Context, where string, args ...any) ([]Packet, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+packetCols+` FROM packets `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("packets: %w", err)
	}
	defer rows.Close()
	out := []Packet{}
	for rows.Next() {
		p, err := scanPacket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
