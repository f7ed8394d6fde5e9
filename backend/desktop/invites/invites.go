// Package invites is the staff side of client portal access: inviting people (one client at
// a time or in bulk), resending, removing access, the invitation templates, and applying
// what the portal reports back about each person.
package invites

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
	"portico/backend/invitetext"
)

type Service struct {
	Store *store.Store
	Now   func() time.Time
	Wake  func() // tells the sync engine an op is waiting
}

// Person is someone to invite: from the client record, or anyone else (a bookkeeper, an
// adult child) who should see the client's portal.
type Person struct {
	PersonID string `json:"personId"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

// Invitation is what the invite dialog sends: people, and a template or a custom message.
type Invitation struct {
	People     []Person `json:"people"`
	TemplateID string   `json:"templateId"` // "" with no Subject/Message: the default template
	Subject    string   `json:"subject"`
	Message    string   `json:"message"`
}

// Send queues an invitation for the people of one client; it goes out with the next sync.
func (s *Service) Send(ctx context.Context, clientID string, inv Invitation) error {
	if len(inv.People) == 0 {
		return invalid.New("choose at least one person to invite")
	}
	seen := map[string]bool{}
	people := make([]api.Invitee, 0, len(inv.People))
	for _, p := range inv.People {
		name := strings.Join(strings.Fields(p.Name), " ")
		email := strings.TrimSpace(p.Email)
		if name == "" {
			return invalid.New("enter a name for %s", orText(email, "each person"))
		}
		if email == "" {
			return invalid.New("%s has no email address: add one to invite them", name)
		}
		if !validEmail(email) {
			return invalid.New("%q is not a valid email address", email)
		}
		if seen[strings.ToLower(email)] {
			return invalid.New("%s is in the list twice", email)
		}
		seen[strings.ToLower(email)] = true
		people = append(people, api.Invitee{PersonID: p.PersonID, Name: name, Email: email})
	}
	subject, body, err := s.text(ctx, inv)
	if err != nil {
		return err
	}
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Client(ctx, clientID); err != nil {
			return fmt.Errorf("client %s: %w", clientID, err)
		}
		return s.queue(ctx, tx, clientID, api.Invite{People: people, Subject: subject, Message: body})
	})
	if err != nil {
		return err
	}
	s.wake()
	return nil
}

func validEmail(s string) bool { return api.CheckEmail(s) == nil }

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// text picks the subject and body: a custom one, a chosen template, or the default.
func (s *Service) text(ctx context.Context, inv Invitation) (subject, body string, err error) {
	if inv.Subject != "" || inv.Message != "" {
		if err := invitetext.Check(inv.Subject, inv.Message); err != nil {
			return "", "", invalid.New("%s", err.Error())
		}
		return inv.Subject, inv.Message, nil
	}
	tpl, err := s.Template(ctx, inv.TemplateID)
	if err != nil {
		return "", "", err
	}
	return tpl.Subject, tpl.Body, nil
}

func (s *Service) queue(ctx context.Context, tx *store.Tx, clientID string, inv api.Invite) error {
	return tx.Queue(ctx, api.KindPortalInvite, clientID, inv, s.Now())
}

// Resend sends a person a new invitation with the default template; older links stop working.
func (s *Service) Resend(ctx context.Context, clientID, email string) error {
	users, err := s.Store.PortalUsersOfClient(ctx, clientID)
	if err != nil {
		return err
	}
	for _, u := range users {
		if strings.EqualFold(u.Email, email) {
			return s.Send(ctx, clientID, Invitation{People: []Person{{Name: u.Name, Email: u.Email}}})
		}
	}
	return invalid.New("%s has no portal access to this client", email)
}

// RemoveAccess queues the removal of a person's portal access. Once the portal applies it,
// their sessions end and their links stop working.
func (s *Service) RemoveAccess(ctx context.Context, clientID, email string) error {
	email = strings.TrimSpace(email)
	if email == "" {
		return invalid.New("choose whose access to remove")
	}
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		return tx.Queue(ctx, api.KindPortalRevoke, clientID, api.Revoke{Email: email}, s.Now())
	})
	if err != nil {
		return err
	}
	s.wake()
	return nil
}

// Invitee states on the desktop, beyond the portal's own.
const (
	StateQueued      = "queued"      // the invitation waits for the next sync
	StateExpired     = "expired"     // invited, but the newest link has expired
	StateUndelivered = "undelivered" // invited, but the newest invitation's mail never arrived
)

// PortalPerson is one row under Client Portal on the client record.
type PortalPerson struct {
	ID            string     `json:"id"` // the portal's; "" while queued
	Email         string     `json:"email"`
	Name          string     `json:"name"`
	State         string     `json:"state"`
	SecondFactor  string     `json:"secondFactor"`
	Invitations   []Sent     `json:"invitations"` // newest first
	AcceptedAt    *time.Time `json:"acceptedAt,omitempty" ts_type:"string"`
	RemovedAt     *time.Time `json:"removedAt,omitempty" ts_type:"string"`
	LinkAskedAt   *time.Time `json:"linkAskedAt,omitempty" ts_type:"string"`
	Display       string     `json:"display"` // queued, invited, expired, undelivered, active, removed
	QueuedAt      *time.Time `json:"queuedAt,omitempty" ts_type:"string"`
	RemovalQueued bool       `json:"removalQueued"`
}

// Sent is one sending of an invitation.
type Sent struct {
	SentAt    time.Time `json:"sentAt" ts_type:"string"`
	ExpiresAt time.Time `json:"expiresAt" ts_type:"string"`
	State     string    `json:"state"`           // pending, accepted, revoked, undelivered
	Error     string    `json:"error,omitempty"` // why it was not delivered
}

func personOf(u store.PortalUser) PortalPerson {
	p := PortalPerson{ID: u.ID, Email: u.Email, Name: u.Name, State: u.State, SecondFactor: u.SecondFactor,
		AcceptedAt: u.AcceptedAt, RemovedAt: u.RemovedAt, LinkAskedAt: u.LinkAskedAt, Display: u.State,
		Invitations: make([]Sent, len(u.Invitations))}
	for i, s := range u.Invitations {
		p.Invitations[i] = Sent(s)
	}
	return p
}

// ForClient lists who has, had or is about to get portal access to a client.
func (s *Service) ForClient(ctx context.Context, clientID string) ([]PortalPerson, error) {
	users, err := s.Store.PortalUsersOfClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]PortalPerson, 0, len(users))
	index := map[string]int{}
	for _, u := range users {
		p := personOf(u)
		if u.RemovedHere {
			p.Display = api.PortalRemoved
		} else if u.State == api.PortalInvited && len(u.Invitations) > 0 && u.Invitations[0].State == api.InvitationUndelivered {
			p.Display = StateUndelivered
		} else if u.State == api.PortalInvited && len(u.Invitations) > 0 && !now.Before(u.Invitations[0].ExpiresAt) {
			p.Display = StateExpired
		}
		index[strings.ToLower(u.Email)] = len(out)
		out = append(out, p)
	}
	pending, err := s.Store.PendingOpsOf(ctx, api.KindPortalInvite, clientID)
	if err != nil {
		return nil, err
	}
	for _, op := range pending {
		var inv api.Invite
		if err := json.Unmarshal(op.Data, &inv); err != nil {
			continue
		}
		at := op.CreatedAt
		for _, p := range inv.People {
			if i, ok := index[strings.ToLower(p.Email)]; ok {
				out[i].Display, out[i].QueuedAt = StateQueued, &at
				continue
			}
			index[strings.ToLower(p.Email)] = len(out)
			out = append(out, PortalPerson{Email: p.Email, Name: p.Name, State: StateQueued, Invitations: []Sent{},
				Display: StateQueued, QueuedAt: &at})
		}
	}
	removals, err := s.Store.PendingOpsOf(ctx, api.KindPortalRevoke, clientID)
	if err != nil {
		return nil, err
	}
	for _, op := range removals {
		var rv api.Revoke
		if json.Unmarshal(op.Data, &rv) == nil {
			if i, ok := index[strings.ToLower(rv.Email)]; ok {
				out[i].RemovalQueued = true
			}
		}
	}
	return out, nil
}

// Activity returns the security events of a client's portal users, newest first.
func (s *Service) Activity(ctx context.Context, clientID string) ([]store.AuditEntry, error) {
	return s.Store.AuditOfClient(ctx, clientID, 200)
}

// Apply writes what the portal reports: a portal user's state or a security event.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	switch ch.Kind {
	case api.KindPortalUser:
		var u api.PortalUser
		if err := json.Unmarshal(ch.Data, &u); err != nil {
			return fmt.Errorf("change %d: %w", ch.Seq, err)
		}
		return tx.PutPortalUser(ctx, ch.EntityID, u, ch.At)
	case api.KindPortalAudit:
		var e api.AuditEvent
		if err := json.Unmarshal(ch.Data, &e); err != nil {
			return fmt.Errorf("change %d: %w", ch.Seq, err)
		}
		return tx.PutAudit(ctx, ch.EntityID, e)
	}
	return fmt.Errorf("invites: unknown change kind %q", ch.Kind)
}

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}

var errNoSelection = errors.New("select at least one client")
