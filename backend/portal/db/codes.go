package db

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"portico/backend/portal/auth"
)

// One-time code purposes.
const (
	CodeSignIn = "signin" // the second factor by email or text message
	CodePhone  = "phone"  // verifying a new phone number (in data)
	CodeReset  = "reset"  // a password reset link's token
)

// Why a code was refused.
var (
	ErrCodeWrong   = errors.New("that code is not right")
	ErrCodeExpired = errors.New("that code has expired")
	ErrCodeLocked  = errors.New("too many wrong codes")
	ErrCodeMissing = errors.New("no code is waiting")
)

// MaxCodeAttempts is how many wrong tries a code survives.
const MaxCodeAttempts = 5

// SetCode stores a new code for a purpose, replacing the previous one.
func (d *DB) SetCode(ctx context.Context, userID, purpose string, hash []byte, data string, expires time.Time) error {
	_, err := d.sql.ExecContext(ctx, `INSERT INTO portal_codes (user_id, purpose, code_hash, data, expires_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, purpose) DO UPDATE SET code_hash = excluded.code_hash, data = excluded.data,
			expires_at = excluded.expires_at, attempts = 0`,
		userID, purpose, hash, data, expires.UTC().Format(time.RFC3339Nano))
	return err
}

// UseCode checks a typed code. A right code is spent and its data returned; a wrong one
// counts, and the MaxCodeAttempts-th wrong one destroys the code (ErrCodeLocked).
func (d *DB) UseCode(ctx context.Context, userID, purpose, typed string) (data string, err error) {
	// A refusal must still count, so it is not an error of the transaction: it commits.
	var refused error
	err = d.withTx(ctx, func(tx *sql.Tx) error {
		var hash []byte
		var expires string
		var attempts int
		err := tx.QueryRowContext(ctx, `SELECT code_hash, data, expires_at, attempts FROM portal_codes
			WHERE user_id = ? AND purpose = ?`, userID, purpose).Scan(&hash, &data, &expires, &attempts)
		if errors.Is(err, sql.ErrNoRows) {
			refused = ErrCodeMissing
			return nil
		}
		if err != nil {
			return err
		}
		del := func() error {
			_, err := tx.ExecContext(ctx, `DELETE FROM portal_codes WHERE user_id = ? AND purpose = ?`, userID, purpose)
			return err
		}
		switch {
		case !d.Now().Before(parseTime(expires)):
			refused = ErrCodeExpired
			return del()
		case auth.CheckCode(hash, typed):
			return del()
		case attempts+1 >= MaxCodeAttempts:
			refused = ErrCodeLocked
			return del()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE portal_codes SET attempts = attempts + 1 WHERE user_id = ? AND purpose = ?`,
			userID, purpose); err != nil {
			return err
		}
		refused = ErrCodeWrong
		return nil
	})
	if err != nil {
		return "", err
	}
	if refused != nil {
		return "", refused
	}
	return data, nil
}

// UserByResetToken finds whose password reset link this is; the token is spent by
// UseCode(…, CodeReset, token) when the new password is set.
func (d *DB) UserByResetToken(ctx context.Context, token string) (User, error) {
	var userID, expires string
	err := d.sql.QueryRowContext(ctx, `SELECT user_id, expires_at FROM portal_codes WHERE purpose = 'reset' AND code_hash = ?`,
		auth.HashToken(token)).Scan(&userID, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, err
	}
	if !d.Now().Before(parseTime(expires)) {
		return User{}, ErrLinkExpired
	}
	return d.User(ctx, userID)
}

// ResetPassword spends a reset link and sets the new password in one transaction, ending
// every session: the link is never used up without the password changing. A link that is
// unknown, spent or expired is ErrLinkExpired.
func (d *DB) ResetPassword(ctx context.Context, token, passwordHash string, ev Event) error {
	var firmID string
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		var userID, expires string
		err := tx.QueryRowContext(ctx, `SELECT c.user_id, c.expires_at, u.firm_id FROM portal_codes c
			JOIN portal_users u ON u.id = c.user_id WHERE c.purpose = 'reset' AND c.code_hash = ? AND u.state = 'active'`,
			auth.HashToken(token)).Scan(&userID, &expires, &firmID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !d.Now().Before(parseTime(expires))) {
			return ErrLinkExpired
		}
		if err != nil {
			return err
		}
		now := d.now()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`DELETE FROM portal_codes WHERE user_id = ? AND purpose = 'reset'`, []any{userID}},
			{`UPDATE portal_users SET password_hash = ? WHERE id = ?`, []any{passwordHash, userID}},
			{`DELETE FROM portal_sessions WHERE user_id = ?`, []any{userID}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		if _, err := audit(ctx, tx, firmID, userID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, now); err != nil {
			return err
		}
		_, err = emitUser(ctx, tx, firmID, "", userID, now)
		return err
	})
	if err == nil {
		d.changed(firmID)
	}
	return err
}
