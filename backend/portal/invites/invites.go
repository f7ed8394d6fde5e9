// Package invites is portald's invitation service: what an invitation does for a person
// by the state of their account, one live link per person and client, using a link once,
// and removing access, over portal/db, which only reads and writes.
package invites

import (
	"context"
	"errors"
	"time"

	"portico/backend/api"
	"portico/backend/portal/db"
)

// DefaultTTL is how long an invitation link works unless the operator says otherwise.
const DefaultTTL = 14 * 24 * time.Hour

// Invitations applies the invitation rules to the portal users in DB.
type Invitations struct {
	DB *db.DB
	// TTL is how long an invitation link works; DefaultTTL when zero.
	TTL time.Duration
}

// InviteMail is what an invitation email is written from: the facts of a db.NoticeInvite.
type InviteMail struct {
	FirmName, ClientName string
	Invitee              api.Invitee
	Subject, Message     string // the staff's template; "" for the default
	Token                string // "" when the person already has an account: they sign in
	ExpiresAt            time.Time
}

// Start is what an invitation does for a person, by the state of their account.
type Start int

const (
	NewAccount Start = iota // never had one: an invited account is made
	StartOver               // their access was removed: a new password and the default second factor
	LinkAgain               // invited, not yet in: a new link replaces the old one
	SignIn                  // active: they get the client, and a mail that says to sign in
)

// StartFor is the Start for an account in state; found false for none.
func StartFor(state string, found bool) Start {
	switch {
	case !found:
		return NewAccount
	case state == api.PortalRemoved:
		return StartOver
	case state == api.PortalInvited:
		return LinkAgain
	}
	return SignIn
}

// Link tells whether the person needs a link to set a password.
func (s Start) Link() bool { return s != SignIn }

// Usable says why an invitation link cannot be used at now, or nil.
func Usable(inv db.Invitation, now time.Time) error {
	switch {
	case inv.Used:
		return db.ErrLinkUsed
	case inv.Revoked:
		return db.ErrLinkRevoked
	case !now.Before(inv.ExpiresAt):
		return db.ErrLinkExpired
	}
	return nil
}

func (i Invitations) ttl() time.Duration {
	if i.TTL > 0 {
		return i.TTL
	}
	return DefaultTTL
}

// Invite applies an op of kind api.KindPortalInvite: each invitee gets access to the
// client, a link when they need one (replacing any earlier live link for this client),
// and their email, all in tx, so an invitation and its mail exist together or not at all.
func (i Invitations) Invite(ctx context.Context, tx *db.Tx, firmID string, op db.Op) (int64, error) {
	clientID, inv := op.EntityID, op.Invite
	firmName, clientName, err := tx.InviteNames(ctx, firmID, clientID)
	if err != nil {
		return 0, err
	}
	expires := tx.Now().Add(i.ttl())
	var seq int64
	for _, p := range inv.People {
		userID, state, err := tx.PortalUserByEmail(ctx, firmID, p.Email)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return 0, err
		}
		start := StartFor(state, err == nil)
		switch start {
		case NewAccount:
			userID, err = tx.CreatePortalUser(ctx, firmID, p.Email, p.Name)
		case StartOver:
			err = tx.RestartPortalUser(ctx, userID, p.Name)
		default:
			err = tx.LinkAsked(ctx, userID, false) // staff answered the request
		}
		if err != nil {
			return 0, err
		}
		if err := tx.GrantAccess(ctx, firmID, userID, clientID); err != nil {
			return 0, err
		}
		m := InviteMail{FirmName: firmName, ClientName: clientName, Invitee: p, Subject: inv.Subject,
			Message: inv.Message, ExpiresAt: expires}
		var invID string
		if start.Link() {
			// One live link per person and client: a resend makes the older one stop working.
			// (Links for the person's other clients stay: a bulk invite may send several.)
			if err := tx.RevokeLinks(ctx, userID, clientID); err != nil {
				return 0, err
			}
			if invID, m.Token, err = tx.CreateInvitation(ctx, firmID, userID, clientID, expires); err != nil {
				return 0, err
			}
		}
		mailID, err := tx.Notice(ctx, firmID, db.NoticeInvite, p.Name, p.Email, m)
		if err != nil {
			return 0, err
		}
		if invID != "" {
			if err := tx.InvitationMailed(ctx, invID, mailID); err != nil {
				return 0, err
			}
		}
		if seq, err = tx.EmitUser(ctx, firmID, op.ID, userID); err != nil {
			return 0, err
		}
	}
	return seq, nil
}

// Revoke applies an op of kind api.KindPortalRevoke: the person loses access to one
// client and their links for it stop working; when it was their last client, their
// sessions end and every link and code dies with them.
func (i Invitations) Revoke(ctx context.Context, tx *db.Tx, firmID string, op db.Op) (int64, error) {
	clientID, email := op.EntityID, op.Revoke.Email
	userID, err := tx.AccessOf(ctx, firmID, email, clientID)
	if errors.Is(err, db.ErrNotFound) {
		return 0, db.Rejected(email + " has no portal access to this client")
	}
	if err != nil {
		return 0, err
	}
	if err := tx.RemoveAccess(ctx, userID, clientID); err != nil {
		return 0, err
	}
	if err := tx.RevokeLinks(ctx, userID, clientID); err != nil {
		return 0, err
	}
	// Their signing links for this client's packets die too (and with them the link to the
	// sealed copy): the contract says a person's links stop working.
	if err := tx.DropSigningLinks(ctx, firmID, clientID, email); err != nil {
		return 0, err
	}
	left, err := tx.UserClients(ctx, userID)
	if err != nil {
		return 0, err
	}
	detail := "by staff"
	if len(left) == 0 {
		detail = "by staff; no client left, signed out everywhere"
		if err := tx.RemoveUser(ctx, userID); err != nil {
			return 0, err
		}
		if err := tx.RevokeLinks(ctx, userID, ""); err != nil {
			return 0, err
		}
	}
	if err := tx.Audit(ctx, firmID, userID, db.Event{Name: "access.removed", Detail: detail}); err != nil {
		return 0, err
	}
	return tx.EmitUser(ctx, firmID, op.ID, userID)
}

// Accept uses the link once: it sets the password, records consent and makes the user
// active. A link used, revoked or expired in the meantime is refused.
func (i Invitations) Accept(ctx context.Context, invID, passwordHash string, a db.Acceptance) error {
	return i.DB.Update(ctx, func(tx *db.Tx) error {
		inv, err := tx.Invitation(ctx, invID)
		if err != nil {
			return err
		}
		if err := Usable(inv, tx.Now()); err != nil {
			return err
		}
		if err := tx.UseInvitation(ctx, invID); err != nil {
			return err
		}
		if err := tx.ActivateUser(ctx, inv.User.ID, passwordHash, a); err != nil {
			return err
		}
		if err := tx.Audit(ctx, inv.FirmID, inv.User.ID, db.Event{Name: "invitation.accepted",
			Detail: "terms of service " + a.TermsVersion + " accepted", IP: a.IP, UserAgent: a.UserAgent}); err != nil {
			return err
		}
		_, err = tx.EmitUser(ctx, inv.FirmID, "", inv.User.ID)
		return err
	})
}

// AskForNewLink records that the person behind an expired or used link wants a new one, so
// staff see it on the client record.
func (i Invitations) AskForNewLink(ctx context.Context, inv db.Invitation, ip, ua string) error {
	return i.DB.Update(ctx, func(tx *db.Tx) error {
		if err := tx.LinkAsked(ctx, inv.User.ID, true); err != nil {
			return err
		}
		if err := tx.Audit(ctx, inv.FirmID, inv.User.ID, db.Event{Name: "invitation.new_link_requested", IP: ip, UserAgent: ua}); err != nil {
			return err
		}
		_, err := tx.EmitUser(ctx, inv.FirmID, "", inv.User.ID)
		return err
	})
}
