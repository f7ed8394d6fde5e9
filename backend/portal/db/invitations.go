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

// InviteMail is what an invitation email is written from: the facts of a NoticeInvite.
type InviteMail struct {
	FirmName, ClientName string
	Invitee              api.Invitee
	Subject, Message     string // the staff's template; "" for the default
	Token                string // "" when the person already has an account: they sign in
	ExpiresAt            time.Time
}

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

// invite creates or revives each invitee's portal user, gives them access to the client,
// replaces any earlier pending link with a new one and queues the email, all in tx.
func (d *DB) invite(ctx context.Context, tx *sql.Tx, firmID, opID, clientID string, inv *api.Invite) (int64, error) {
	var firmName, clientName string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM firms WHERE id = ?`, firmID).Scan(&firmName); err != nil {
		return 0, fmt.Errorf("firm %s: %w", firmID, err)
	}
	err := tx.QueryRowContext(ctx, `SELECT name FROM clients WHERE firm_id = ? AND id = ?`, firmID, clientID).Scan(&clientName)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, rejection("the portal has no client " + clientID)
	}
	if err != nil {
		return 0, err
	}
	now := d.Now().UTC()
	nowText := now.Format(time.RFC3339Nano)
	expires := now.Add(d.InviteTTL)
	var seq int64
	for _, p := range inv.People {
		var userID, state, invID string
		err := tx.QueryRowContext(ctx, `SELECT id, state FROM portal_users WHERE firm_id = ? AND email = ?`,
			firmID, p.Email).Scan(&userID, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			userID, state = ulid.Make().String(), api.PortalInvited
			if _, err := tx.ExecContext(ctx, `INSERT INTO portal_users (id, firm_id, email, name, state, created_at)
				VALUES (?, ?, ?, ?, 'invited', ?)`, userID, firmID, p.Email, p.Name, nowText); err != nil {
				return 0, fmt.Errorf("portal user %s: %w", p.Email, err)
			}
		case err != nil:
			return 0, err
		case state == api.PortalRemoved:
			// Invited again after their access was removed: they start over, with a new
			// password and the default second factor.
			state = api.PortalInvited
			if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET state = 'invited', name = ?, password_hash = '',
				second_factor = 'email', totp_secret = NULL, totp_last_step = 0, removed_at = NULL, link_asked_at = NULL
				WHERE id = ?`, p.Name, userID); err != nil {
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
				return 0, err
			}
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET link_asked_at = NULL WHERE id = ?`, userID); err != nil {
				return 0, err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO portal_access (firm_id, user_id, client_id) VALUES (?, ?, ?)
			ON CONFLICT DO UPDATE SET removed_at = NULL`, firmID, userID, clientID); err != nil {
			return 0, fmt.Errorf("portal access: %w", err)
		}
		m := InviteMail{FirmName: firmName, ClientName: clientName, Invitee: p, Subject: inv.Subject,
			Message: inv.Message, ExpiresAt: expires}
		if state == api.PortalInvited {
			// One live link per person and client: a resend makes the older one stop working.
			// (Links for the person's other clients stay: a bulk invite may send several.)
			if _, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = ?
				WHERE user_id = ? AND client_id = ? AND used_at IS NULL AND revoked_at IS NULL`, nowText, userID, clientID); err != nil {
				return 0, err
			}
			token, hash := auth.NewToken()
			invID = ulid.Make().String()
			if _, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, firm_id, user_id, client_id, token_hash, sent_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, invID, firmID, userID, clientID, hash, nowText,
				expires.Format(time.RFC3339Nano)); err != nil {
				return 0, fmt.Errorf("invitation: %w", err)
			}
			m.Token = token
		}
		mailID, err := enqueueNotice(ctx, tx, firmID, NoticeInvite, p.Name, p.Email, m, nowText)
		if err != nil {
			return 0, err
		}
		if invID != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE invitations SET mail_id = ? WHERE id = ?`, mailID, invID); err != nil {
				return 0, err
			}
		}
		if seq, err = emitUser(ctx, tx, firmID, opID, userID, nowText); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

// revoke removes a person's access to one client. Their links for it stop working; when it
// was their last client, their sessions end and every link and code dies with them.
func (d *DB) revoke(ctx context.Context, tx *sql.Tx, firmID, opID, clientID, email string) (int64, error) {
	var userID string
	err := tx.QueryRowContext(ctx, `SELECT u.id FROM portal_users u JOIN portal_access a ON a.user_id = u.id
		WHERE u.firm_id = ? AND u.email = ? AND a.client_id = ?`, firmID, email, clientID).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, rejection(email + " has no portal access to this client")
	}
	if err != nil {
		return 0, err
	}
	now := d.now()
	if _, err := tx.ExecContext(ctx, `UPDATE portal_access SET removed_at = ? WHERE user_id = ? AND client_id = ? AND removed_at IS NULL`,
		now, userID, clientID); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = ? WHERE user_id = ? AND client_id = ?
		AND used_at IS NULL AND revoked_at IS NULL`, now, userID, clientID); err != nil {
		return 0, err
	}
	// Their signing links for this client's packets die too (and with them the link to the
	// sealed copy): the contract says a person's links stop working.
	if _, err := tx.ExecContext(ctx, `DELETE FROM packet_links WHERE firm_id = ? AND (packet_id, recipient_id) IN (
		SELECT s.packet_id, s.recipient_id FROM packet_signers s JOIN packets p ON p.firm_id = s.firm_id AND p.id = s.packet_id
		WHERE s.firm_id = ? AND p.client_id = ? AND s.email = ?)`, firmID, firmID, clientID, email); err != nil {
		return 0, err
	}
	left, err := userClients(ctx, tx, userID)
	if err != nil {
		return 0, err
	}
	detail := "by staff"
	if len(left) == 0 {
		detail = "by staff; no client left, signed out everywhere"
		if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET state = 'removed', removed_at = ? WHERE id = ?`, now, userID); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET revoked_at = ? WHERE user_id = ? AND used_at IS NULL AND revoked_at IS NULL`,
			now, userID); err != nil {
			return 0, err
		}
		for _, q := range []string{`DELETE FROM portal_sessions WHERE user_id = ?`, `DELETE FROM portal_codes WHERE user_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return 0, err
			}
		}
	}
	if _, err := audit(ctx, tx, firmID, userID, "access.removed", detail, "", "", now); err != nil {
		return 0, err
	}
	return emitUser(ctx, tx, firmID, opID, userID, now)
}

// InvitationByToken finds an invitation link by the hash of its token.
func (d *DB) InvitationByToken(ctx context.Context, hash []byte) (Invitation, error) {
	var inv Invitation
	var userID, expires string
	var used, revoked sql.NullString
	err := d.sql.QueryRowContext(ctx, `SELECT id, firm_id, client_id, user_id, expires_at, used_at, revoked_at
		FROM invitations WHERE token_hash = ?`, hash).Scan(&inv.ID, &inv.FirmID, &inv.ClientID, &userID, &expires, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return inv, ErrNotFound
	}
	if err != nil {
		return inv, err
	}
	inv.ExpiresAt, inv.Used, inv.Revoked = parseTime(expires), used.Valid, revoked.Valid
	inv.User, err = d.User(ctx, userID)
	return inv, err
}

// Acceptance is the Terms of Service consent recorded with a new account.
type Acceptance struct {
	TermsVersion  string
	IP, UserAgent string
}

// AcceptInvitation uses the link once: it sets the password, records consent and makes the
// user active. A link used, revoked or expired in the meantime is refused.
func (d *DB) AcceptInvitation(ctx context.Context, invID, passwordHash string, a Acceptance) error {
	var firmID string
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		var userID, expires string
		var used, revoked sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT firm_id, user_id, expires_at, used_at, revoked_at FROM invitations WHERE id = ?`,
			invID).Scan(&firmID, &userID, &expires, &used, &revoked)
		if err != nil {
			return fmt.Errorf("invitation %s: %w", invID, err)
		}
		switch {
		case used.Valid:
			return ErrLinkUsed
		case revoked.Valid:
			return ErrLinkRevoked
		case !d.Now().Before(parseTime(expires)):
			return ErrLinkExpired
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET used_at = ? WHERE id = ?`, now, invID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET state = 'active', password_hash = ?, tos_version = ?,
			tos_at = ?, tos_ip = ?, tos_user_agent = ?, accepted_at = ?, link_asked_at = NULL WHERE id = ?`,
			passwordHash, a.TermsVersion, now, a.IP, a.UserAgent, now, userID); err != nil {
			return err
		}
		if _, err := audit(ctx, tx, firmID, userID, "invitation.accepted", "terms of service "+a.TermsVersion+" accepted", a.IP, a.UserAgent, now); err != nil {
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

// AskForNewLink records that the person behind an expired or used link wants a new one, so
// staff see it on the client record.
func (d *DB) AskForNewLink(ctx context.Context, inv Invitation, ip, ua string) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		if _, err := tx.ExecContext(ctx, `UPDATE portal_users SET link_asked_at = ? WHERE id = ?`, now, inv.User.ID); err != nil {
			return err
		}
		if _, err := audit(ctx, tx, inv.FirmID, inv.User.ID, "invitation.new_link_requested", "", ip, ua, now); err != nil {
			return err
		}
		_, err := emitUser(ctx, tx, inv.FirmID, "", inv.User.ID, now)
		return err
	})
	if err == nil {
		d.changed(inv.FirmID)
	}
	return err
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
