package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
)

// Invitation is an invitation link as the portal finds it by its token.
type Invitation struct {
	ID, FirmID, ClientID string
	User                 User
	ExpiresAt            time.Time
	Used, Revoked        bool
}

// Errors a link page decides on.
var (
	ErrLinkUsed    = errors.New("this link was already used")
	ErrLinkExpired = errors.New("this link has expired")
	ErrLinkRevoked = errors.New("this link no longer works")
)

// InviteNames are the names an invitation's mail gives: the firm's and the client's. A
// client the portal never received rejects the op.
func (t *Tx) InviteNames(ctx context.Context, firmID, clientID string) (firmName, clientName string, err error) {
	if err := t.sql.QueryRowContext(ctx, `SELECT name FROM firms WHERE id = ?`, firmID).Scan(&firmName); err != nil {
		return "", "", fmt.Errorf("firm %s: %w", firmID, err)
	}
	err = t.sql.QueryRowContext(ctx, `SELECT name FROM clients WHERE firm_id = ? AND id = ?`, firmID, clientID).Scan(&clientName)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", rejection("the portal has no client " + clientID)
	}
	return firmName, clientName, err
}

// PortalUserByEmail is the firm's portal user with this address: id and state;
// ErrNotFound for none.
func (t *Tx) PortalUserByEmail(ctx context.Context, firmID, email string) (id, state string, err error) {
	err = t.sql.QueryRowContext(ctx, `SELECT id, state FROM portal_users WHERE firm_id = ? AND email = ?`,
		firmID, email).Scan(&id, &state)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return id, state, err
}

// CreatePortalUser makes an invited portal user and answers its id.
func (t *Tx) CreatePortalUser(ctx context.Context, firmID, email, name string) (string, error) {
	id := ulid.Make().String()
	if _, err := t.sql.ExecContext(ctx, `INSERT INTO portal_users (id, firm_id, email, name, state, created_at)
		VALUES (?, ?, ?, ?, 'invited', ?)`, id, firmID, email, name, t.nowText()); err != nil {
		return "", fmt.Errorf("portal user %s: %w", email, err)
	}
	return id, nil
}

// RestartPortalUser makes a user invited again with nothing of their old account: no
// password, the default second factor, no recovery codes.
func (t *Tx) RestartPortalUser(ctx context.Context, userID, name string) error {
	if _, err := t.sql.ExecContext(ctx, `UPDATE portal_users SET state = 'invited', name = ?, password_hash = '',
		second_factor = 'email', totp_secret = NULL, totp_last_step = 0, removed_at = NULL, link_asked_at = NULL
		WHERE id = ?`, name, userID); err != nil {
		return err
	}
	_, err := t.sql.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID)
	return err
}

// LinkAsked records that the user asked for a new link (now), or forgets it (asked false).
func (t *Tx) LinkAsked(ctx context.Context, userID string, asked bool) error {
	var at any
	if asked {
		at = t.nowText()
	}
	_, err := t.sql.ExecContext(ctx, `UPDATE portal_users SET link_asked_at = ? WHERE id = ?`, at, userID)
	return err
}

// GrantAccess gives the user access to the client (again).
func (t *Tx) GrantAccess(ctx context.Context, firmID, userID, clientID string) error {
	if _, err := t.sql.ExecContext(ctx, `INSERT INTO portal_access (firm_id, user_id, client_id) VALUES (?, ?, ?)
		ON CONFLICT DO UPDATE SET removed_at = NULL`, firmID, userID, clientID); err != nil {
		return fmt.Errorf("portal access: %w", err)
	}
	return nil
}

// AccessOf is the firm's portal user with this address who has (or had) access to the
// client; ErrNotFound for none.
func (t *Tx) AccessOf(ctx context.Context, firmID, email, clientID string) (string, error) {
	var userID string
	err := t.sql.QueryRowContext(ctx, `SELECT u.id FROM portal_users u JOIN portal_access a ON a.user_id = u.id
		WHERE u.firm_id = ? AND u.email = ? AND a.client_id = ?`, firmID, email, clientID).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	return userID, err
}

// RemoveAccess ends the user's access to the client.
func (t *Tx) RemoveAccess(ctx context.Context, userID, clientID string) error {
	_, err := t.sql.ExecContext(ctx, `UPDATE portal_access SET removed_at = ? WHERE user_id = ? AND client_id = ?
		AND removed_at IS NULL`, t.nowText(), userID, clientID)
	return err
}

// RevokeLinks stops the user's unused invitation links for the client; for every client
// when clientID is "".
func (t *Tx) RevokeLinks(ctx context.Context, userID, clientID string) error {
	_, err := t.sql.ExecContext(ctx, `UPDATE invitations SET revoked_at = ? WHERE user_id = ? AND (? = '' OR client_id = ?)
		AND used_at IS NULL AND revoked_at IS NULL`, t.nowText(), userID, clientID, clientID)
	return err
}

// DropSigningLinks deletes the signing links sent to this address for the client's
// packets (and with them the links to sealed copies).
func (t *Tx) DropSigningLinks(ctx context.Context, firmID, clientID, email string) error {
	_, err := t.sql.ExecContext(ctx, `DELETE FROM packet_links WHERE firm_id = ? AND (packet_id, recipient_id) IN (
		SELECT s.packet_id, s.recipient_id FROM packet_signers s JOIN packets p ON p.firm_id = s.firm_id AND p.id = s.packet_id
		WHERE s.firm_id = ? AND p.client_id = ? AND s.email = ?)`, firmID, firmID, clientID, email)
	return err
}

// UserClients are the clients the user has access to.
func (t *Tx) UserClients(ctx context.Context, userID string) ([]string, error) {
	return userClients(ctx, t.sql, userID)
}

// RemoveUser marks the user removed and ends their sessions and codes.
func (t *Tx) RemoveUser(ctx context.Context, userID string) error {
	if _, err := t.sql.ExecContext(ctx, `UPDATE portal_users SET state = 'removed', removed_at = ? WHERE id = ?`,
		t.nowText(), userID); err != nil {
		return err
	}
	for _, q := range []string{`DELETE FROM portal_sessions WHERE user_id = ?`, `DELETE FROM portal_codes WHERE user_id = ?`} {
		if _, err := t.sql.ExecContext(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}

// CreateInvitation makes an invitation link for the user and client; it answers the
// invitation's id and the link's token.
func (t *Tx) CreateInvitation(ctx context.Context, firmID, userID, clientID string, expires time.Time) (id, token string, err error) {
	token, hash := auth.NewToken()
	id = ulid.Make().String()
	if _, err := t.sql.ExecContext(ctx, `INSERT INTO invitations (id, firm_id, user_id, client_id, token_hash, sent_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, firmID, userID, clientID, hash, t.nowText(),
		expires.UTC().Format(time.RFC3339Nano)); err != nil {
		return "", "", fmt.Errorf("invitation: %w", err)
	}
	return id, token, nil
}

// InvitationMailed ties the invitation to its mail, whose delivery staff see.
func (t *Tx) InvitationMailed(ctx context.Context, invID string, mailID int64) error {
	_, err := t.sql.ExecContext(ctx, `UPDATE invitations SET mail_id = ? WHERE id = ?`, mailID, invID)
	return err
}

// InvitationByToken finds an invitation link by the hash of its token.
func (d *DB) InvitationByToken(ctx context.Context, hash []byte) (Invitation, error) {
	inv, err := readInvitation(ctx, d.sql, `token_hash = ?`, hash)
	if err != nil {
		return inv, err
	}
	inv.User, err = d.User(ctx, inv.User.ID)
	return inv, err
}

// Invitation reads an invitation in the transaction; of its user only the id is read.
func (t *Tx) Invitation(ctx context.Context, id string) (Invitation, error) {
	return readInvitation(ctx, t.sql, `id = ?`, id)
}

func readInvitation(ctx context.Context, q querier, where string, arg any) (Invitation, error) {
	var inv Invitation
	var expires string
	var used, revoked sql.NullString
	err := q.QueryRowContext(ctx, `SELECT id, firm_id, client_id, user_id, expires_at, used_at, revoked_at
		FROM invitations WHERE `+where, arg).Scan(&inv.ID, &inv.FirmID, &inv.ClientID, &inv.User.ID, &expires, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, ErrNotFound
	}
	inv.ExpiresAt, inv.Used, inv.Revoked = parseTime(expires), used.Valid, revoked.Valid
	return inv, err
}

// Acceptance is the Terms of Service consent recorded with a new account.
type Acceptance struct {
	TermsVersion  string
	IP, UserAgent string
}

// UseInvitation marks the link used.
func (t *Tx) UseInvitation(ctx context.Context, id string) error {
	_, err := t.sql.ExecContext(ctx, `UPDATE invitations SET used_at = ? WHERE id = ?`, t.nowText(), id)
	return err
}

// ActivateUser makes the user active with their password and the consent they gave.
func (t *Tx) ActivateUser(ctx context.Context, userID, passwordHash string, a Acceptance) error {
	now := t.nowText()
	_, err := t.sql.ExecContext(ctx, `UPDATE portal_users SET state = 'active', password_hash = ?, tos_version = ?,
		tos_at = ?, tos_ip = ?, tos_user_agent = ?, accepted_at = ?, link_asked_at = NULL WHERE id = ?`,
		passwordHash, a.TermsVersion, now, a.IP, a.UserAgent, now, userID)
	return err
}

// EmitUser puts the user's current state, as staff see it, in the feed.
func (t *Tx) EmitUser(ctx context.Context, firmID, opID, userID string) (int64, error) {
	t.grew(firmID)
	return emitUser(ctx, t.sql, firmID, opID, userID, t.nowText())
}

// emitUser puts the user's current state, as staff see it, in the feed.
func emitUser(ctx context.Context, tx *sql.Tx, firmID, opID, userID, now string) (int64, error) {
	var u api.PortalUser
	var accepted, removed, asked sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT email, name, state, second_factor, accepted_at, removed_at, link_asked_at
		FROM portal_users WHERE id = ?`, userID).Scan(&u.Email, &u.Name, &u.State, &u.SecondFactor, &accepted, &removed, &asked)
	if err != nil {
		return 0, fmt.Errorf("portal user %s: %w", userID, err)
	}
	u.AcceptedAt, u.RemovedAt, u.LinkAskedAt = timePtr(accepted), timePtr(removed), timePtr(asked)
	if u.ClientIDs, err = userClients(ctx, tx, userID); err != nil {
		return 0, err
	}
	if u.RemovedIDs, err = removedClients(ctx, tx, userID); err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT i.sent_at, i.expires_at, i.used_at IS NOT NULL, i.revoked_at IS NOT NULL,
			COALESCE(m.failed_at IS NOT NULL, 0), COALESCE(m.last_error, '')
		FROM invitations i LEFT JOIN mail_queue m ON m.id = i.mail_id
		WHERE i.user_id = ? ORDER BY i.sent_at DESC, i.rowid DESC LIMIT 50`, userID)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	u.Invitations = []api.InvitationSent{}
	for rows.Next() {
		var sent, expires string
		var used, revoked, undelivered bool
		var why string
		if err := rows.Scan(&sent, &expires, &used, &revoked, &undelivered, &why); err != nil {
			return 0, err
		}
		s := api.InvitationSent{SentAt: parseTime(sent), ExpiresAt: parseTime(expires), State: api.InvitationPending}
		switch {
		case used:
			s.State = api.InvitationAccepted
		case revoked:
			s.State = api.InvitationRevoked
		case undelivered:
			s.State, s.Error = api.InvitationUndelivered, why
		}
		u.Invitations = append(u.Invitations, s)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return appendChange(ctx, tx, firmID, opID, api.KindPortalUser, userID, u, now)
}

func userClients(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, userID string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT client_id FROM portal_access WHERE user_id = ? AND removed_at IS NULL
		ORDER BY client_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// removedClients are the clients whose access staff removed from the user.
func removedClients(ctx context.Context, tx *sql.Tx, userID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT client_id FROM portal_access WHERE user_id = ? AND removed_at IS NOT NULL
		ORDER BY client_id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func timePtr(s sql.NullString) *time.Time {
	if !s.Valid {
		return nil
	}
	t := parseTime(s.String)
	return &t
}
