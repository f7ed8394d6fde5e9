package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// User is a client's portal account.
type User struct {
	ID, FirmID, FirmName string
	Email, Name, State   string
	PasswordHash         string
	SecondFactor         string // email, sms or totp
	Phone                string
	TOTPSecret           []byte // sealed
	TOTPLastStep         int64
	ClientIDs            []string
}

const userCols = `u.id, u.firm_id, f.name, u.email, u.name, u.state, u.password_hash, u.second_factor, u.phone,
	u.totp_secret, u.totp_last_step`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.FirmID, &u.FirmName, &u.Email, &u.Name, &u.State, &u.PasswordHash, &u.SecondFactor,
		&u.Phone, &u.TOTPSecret, &u.TOTPLastStep)
	return u, err
}

// User returns a portal user by id.
func (d *DB) User(ctx context.Context, id string) (User, error) {
	u, err := scanUser(d.sql.QueryRowContext(ctx, `SELECT `+userCols+`
		FROM portal_users u JOIN firms f ON f.id = u.firm_id WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("portal user %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return u, err
	}
	u.ClientIDs, err = userClients(ctx, d.sql, id)
	return u, err
}

// ActiveUsersByEmail returns the active accounts with this email: one per firm at most.
func (d *DB) ActiveUsersByEmail(ctx context.Context, email string) ([]User, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+userCols+`
		FROM portal_users u JOIN firms f ON f.id = u.firm_id WHERE u.email = ? AND u.state = 'active'`, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ClientName returns a client's name, for pages that greet the user.
func (d *DB) ClientName(ctx context.Context, firmID, clientID string) (string, error) {
	var name string
	err := d.sql.QueryRowContext(ctx, `SELECT name FROM clients WHERE firm_id = ? AND id = ?`, firmID, clientID).Scan(&name)
	return name, err
}

// SetPassword replaces the password and ends every session but keep (none when "").
func (d *DB) SetPassword(ctx context.Context, u User, hash string, keepSession []byte, ev Event) error {
	return d.userTx(ctx, u, ev, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET password_hash = ? WHERE id = ?`, hash, u.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM portal_sessions WHERE user_id = ? AND id_hash IS NOT ?`, u.ID, keepSession)
		return err
	})
}

// SetSecondFactor switches the user to email, sms (with a verified phone) or totp (with its
// sealed secret and new recovery code hashes, which replace the old ones).
func (d *DB) SetSecondFactor(ctx context.Context, u User, kind, phone string, sealedSecret []byte, lastStep int64,
	recovery [][]byte, ev Event) error {
	return d.userTx(ctx, u, ev, func(tx *sql.Tx) error {
		if kind != "totp" {
			sealedSecret, lastStep = nil, 0
		}
		if kind != "sms" {
			phone = ""
		}
		if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET second_factor = ?, phone = ?, totp_secret = ?,
			totp_last_step = ? WHERE id = ?`, kind, phone, sealedSecret, lastStep, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		for _, h := range recovery {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, u.ID, h); err != nil {
				return err
			}
		}
		return nil
	})
}

// UseTOTPStep records the time step of a code just accepted; false means that step (or a
// later one) was used already, so the code is a replay. The conditional update settles two
// requests racing with one code.
func (d *DB) UseTOTPStep(ctx context.Context, userID string, step int64) (bool, error) {
	res, err := d.sql.ExecContext(ctx, `UPDATE portal_users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`,
		step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// UseRecoveryCode spends one recovery code; false when it is unknown or spent.
func (d *DB) UseRecoveryCode(ctx context.Context, userID string, hash []byte) (bool, error) {
	res, err := d.sql.ExecContext(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		d.now(), userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCodesLeft counts unspent recovery codes.
func (d *DB) RecoveryCodesLeft(ctx context.Context, userID string) (int, error) {
	var n int
	err := d.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).Scan(&n)
	return n, err
}

// userTx runs fn and records ev in one transaction, and tells staff desktops.
func (d *DB) userTx(ctx context.Context, u User, ev Event, fn func(*sql.Tx) error) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		now := d.now()
		if ev.Name != "" {
			if _, err := audit(ctx, tx, u.FirmID, u.ID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, now); err != nil {
				return err
			}
		}
		_, err := emitUser(ctx, tx, u.FirmID, "", u.ID, now)
		return err
	})
	if err == nil {
		d.changed(u.FirmID)
	}
	return err
}

// ClientName is one of a user's clients.
type ClientName struct{ ID, Name string }

// ClientNames returns the user's clients by name.
func (d *DB) ClientNames(ctx context.Context, u User) ([]ClientName, error) {
	filter, args := clientFilter("t", u.ClientIDs)
	rows, err := d.sql.QueryContext(ctx, `SELECT t.id, t.name FROM clients t WHERE t.firm_id = ? AND `+
		strings.ReplaceAll(filter, "t.client_id", "t.id")+` ORDER BY t.name`, append([]any{u.FirmID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClientName
	for rows.Next() {
		var c ClientName
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HasBilling tells whether any of the user's clients has an invoice or a payment.
func (d *DB) HasBilling(ctx context.Context, u User) (bool, error) {
	filter, args := clientFilter("t", u.ClientIDs)
	all := append([]any{u.FirmID}, args...)
	var yes bool
	err := d.sql.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM invoices t WHERE t.firm_id = ? AND `+filter+`)
		OR EXISTS (SELECT 1 FROM payments t WHERE t.firm_id = ? AND `+filter+` AND t.deleted = 0)`,
		append(all, all...)...).Scan(&yes)
	return yes, err
}

// SetName changes the name the user goes by.
func (d *DB) SetName(ctx context.Context, u User, name string, ev Event) error {
	return d.userTx(ctx, u, ev, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE portal_users SET name = ? WHERE id = ?`, name, u.ID)
		return err
	})
}
