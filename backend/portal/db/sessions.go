package db

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Session is a signed-in browser (or one half-way through sign-in).
type Session struct {
	User          User
	Authenticated bool // false until the second factor
	ExpiresAt     time.Time
}

// CreateSession stores a session by the hash of its cookie. An unauthenticated session
// only lets its holder enter the second factor.
func (d *DB) CreateSession(ctx context.Context, userID string, hash []byte, authenticated bool, expires time.Time, ip, ua string) error {
	now := d.now()
	var authAt any
	if authenticated {
		authAt = now
	}
	_, err := d.sql.ExecContext(ctx, `INSERT INTO portal_sessions (id_hash, user_id, created_at, authenticated_at, expires_at, ip, user_agent)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, hash, userID, now, authAt, expires.UTC().Format(time.RFC3339Nano), ip, ua)
	return err
}

// SessionByHash finds a live session of an active user.
func (d *DB) SessionByHash(ctx context.Context, hash []byte) (Session, error) {
	var s Session
	var userID, expires string
	var authAt sql.NullString
	err := d.sql.QueryRowContext(ctx, `SELECT s.user_id, s.authenticated_at, s.expires_at FROM portal_sessions s
		JOIN portal_users u ON u.id = s.user_id WHERE s.id_hash = ? AND u.state = 'active'`, hash).Scan(&userID, &authAt, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, err
	}
	s.ExpiresAt, s.Authenticated = parseTime(expires), authAt.Valid
	if !d.Now().Before(s.ExpiresAt) {
		_, err := d.sql.ExecContext(ctx, `DELETE FROM portal_sessions WHERE id_hash = ?`, hash)
		if err != nil {
			return s, err
		}
		return s, ErrNotFound
	}
	s.User, err = d.User(ctx, userID)
	return s, err
}

// DeleteSession signs one browser out.
func (d *DB) DeleteSession(ctx context.Context, hash []byte) error {
	_, err := d.sql.ExecContext(ctx, `DELETE FROM portal_sessions WHERE id_hash = ?`, hash)
	return err
}

// SignOutEverywhere ends every session of the user.
func (d *DB) SignOutEverywhere(ctx context.Context, u User, ev Event) error {
	return d.userTx(ctx, u, ev, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM portal_sessions WHERE user_id = ?`, u.ID)
		return err
	})
}

// SessionCount counts a user's live sessions; tests use it.
func (d *DB) SessionCount(ctx context.Context, userID string) (int, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM portal_sessions WHERE user_id = ?`, userID).Scan(&n)
	return n, err
}
