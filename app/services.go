package app

import (
	"context"
	"os"
	"path/filepath"

	"portico/backend/api"
	"portico/backend/autostart"
	"portico/backend/billing"
	"portico/backend/clients"
	"portico/backend/invites"
	"portico/backend/library"
	"portico/backend/session"
	"portico/backend/store"
	"portico/backend/syncer"
	"portico/backend/todos"
)

// The bound services are thin: find the backend, call it. A returned error rejects the
// promise in the UI with the error's text, which the backend words for staff.

// Session signs this desktop in to the firm's portal.
type Session struct{ app *App }

func (s *Session) Status() (session.Status, error) {
	d, err := s.app.backend()
	if err != nil {
		return session.Status{}, err
	}
	return d.Session.Status(context.Background())
}

func (s *Session) SignIn(portalURL, email, password string) (session.Status, error) {
	d, err := s.app.backend()
	if err != nil {
		return session.Status{}, err
	}
	return d.Session.SignIn(context.Background(), portalURL, email, password)
}

func (s *Session) SignOut() error {
	d, err := s.app.backend()
	if err != nil {
		return err
	}
	return d.Session.SignOut(context.Background())
}

// Clients is the firm's client book.
type Clients struct{ app *App }

func (c *Clients) List(query string, includeArchived bool) ([]store.ClientSummary, error) {
	d, err := c.app.backend()
	if err != nil {
		return nil, err
	}
	return d.Clients.List(context.Background(), query, includeArchived)
}

func (c *Clients) Get(id string) (store.Client, error) {
	d, err := c.app.backend()
	if err != nil {
		return store.Client{}, err
	}
	return d.Clients.Get(context.Background(), id)
}

func (c *Clients) Create(input clients.Input) (store.Client, error) {
	d, err := c.app.backend()
	if err != nil {
		return store.Client{}, err
	}
	return d.Clients.Create(context.Background(), input)
}

func (c *Clients) Update(id string, input clients.Input) (store.Client, error) {
	d, err := c.app.backend()
	if err != nil {
		return store.Client{}, err
	}
	return d.Clients.Update(context.Background(), id, input)
}

func (c *Clients) Archive(id string) (store.Client, error) {
	d, err := c.app.backend()
	if err != nil {
		return store.Client{}, err
	}
	return d.Clients.SetArchived(context.Background(), id, true)
}

func (c *Clients) Unarchive(id string) (store.Client, error) {
	d, err := c.app.backend()
	if err != nil {
		return store.Client{}, err
	}
	return d.Clients.SetArchived(context.Background(), id, false)
}

// Sync shows and nudges the sync engine.
type Sync struct{ app *App }

func (s *Sync) Status() (syncer.Status, error) {
	d, err := s.app.backend()
	if err != nil {
		return syncer.Status{}, err
	}
	return d.Sync.Status(context.Background())
}

func (s *Sync) SyncNow() error {
	d, err := s.app.backend()
	if err != nil {
		return err
	}
	d.Sync.SyncNow()
	return nil
}

// Desktop holds settings of this computer rather than of the firm.
type Desktop struct{ app *App }

func autostartApp() (autostart.App, error) {
	exe, err := os.Executable()
	if err != nil {
		return autostart.App{}, err
	}
	exe, _ = filepath.EvalSymlinks(exe)
	return autostart.App{ID: AppID, Name: "Portico", Exec: exe, Args: []string{"--minimised"}}, nil
}

// StartAtLogin tells whether Portico starts when the user signs in to this computer.
func (d *Desktop) StartAtLogin() (bool, error) {
	a, err := autostartApp()
	if err != nil {
		return false, err
	}
	return autostart.Enabled(a)
}

// SetStartAtLogin turns starting at sign-in on or off.
func (d *Desktop) SetStartAtLogin(on bool) error {
	a, err := autostartApp()
	if err != nil {
		return err
	}
	if on {
		return autostart.Enable(a)
	}
	return autostart.Disable(a)
}

// LibraryFolder is where the firm library lives on this computer by default.
func (d *Desktop) LibraryFolder() (string, error) { return library.DefaultDir() }

// Portal invites people to client portals and shows what became of the invitations.
type Portal struct{ app *App }

func (p *Portal) invites() (*invites.Service, error) {
	d, err := p.app.backend()
	if err != nil {
		return nil, err
	}
	return d.Invites, nil
}

func (p *Portal) People(clientID string) ([]invites.PortalPerson, error) {
	s, err := p.invites()
	if err != nil {
		return nil, err
	}
	return s.ForClient(context.Background(), clientID)
}

func (p *Portal) Activity(clientID string) ([]store.AuditEntry, error) {
	s, err := p.invites()
	if err != nil {
		return nil, err
	}
	return s.Activity(context.Background(), clientID)
}

func (p *Portal) Invite(clientID string, inv invites.Invitation) error {
	s, err := p.invites()
	if err != nil {
		return err
	}
	return s.Send(context.Background(), clientID, inv)
}

func (p *Portal) Resend(clientID, email string) error {
	s, err := p.invites()
	if err != nil {
		return err
	}
	return s.Resend(context.Background(), clientID, email)
}

func (p *Portal) RemoveAccess(clientID, email string) error {
	s, err := p.invites()
	if err != nil {
		return err
	}
	return s.RemoveAccess(context.Background(), clientID, email)
}

func (p *Portal) Portals(filter, search string) ([]invites.PortalRow, error) {
	s, err := p.invites()
	if err != nil {
		return nil, err
	}
	return s.Portals(context.Background(), filter, search)
}

func (p *Portal) InviteBulk(clientIDs []string) (invites.BulkResult, error) {
	s, err := p.invites()
	if err != nil {
		return invites.BulkResult{}, err
	}
	return s.SendBulk(context.Background(), clientIDs)
}

func (p *Portal) Templates() ([]store.InviteTemplate, error) {
	s, err := p.invites()
	if err != nil {
		return nil, err
	}
	return s.Templates(context.Background())
}

func (p *Portal) SaveTemplate(t store.InviteTemplate) (store.InviteTemplate, error) {
	s, err := p.invites()
	if err != nil {
		return store.InviteTemplate{}, err
	}
	return s.SaveTemplate(context.Background(), t)
}

func (p *Portal) DeleteTemplate(id string) error {
	s, err := p.invites()
	if err != nil {
		return err
	}
	return s.DeleteTemplate(context.Background(), id)
}

// Todos are the tasks the firm gives its clients on the portal.
type Todos struct{ app *App }

func (t *Todos) List(clientID string) ([]store.Todo, error) {
	d, err := t.app.backend()
	if err != nil {
		return nil, err
	}
	return d.Todos.List(context.Background(), clientID)
}

func (t *Todos) Save(in todos.Input) (store.Todo, error) {
	d, err := t.app.backend()
	if err != nil {
		return store.Todo{}, err
	}
	return d.Todos.Save(context.Background(), in)
}

func (t *Todos) Delete(id string) error {
	d, err := t.app.backend()
	if err != nil {
		return err
	}
	return d.Todos.Delete(context.Background(), id)
}

// Billing is a client's invoices and payments.
type Billing struct{ app *App }

func (b *Billing) Account(clientID string) (billing.Account, error) {
	d, err := b.app.backend()
	if err != nil {
		return billing.Account{}, err
	}
	return d.Billing.ForClient(context.Background(), clientID)
}

func (b *Billing) CreateInvoice(in billing.InvoiceInput) (store.Invoice, error) {
	d, err := b.app.backend()
	if err != nil {
		return store.Invoice{}, err
	}
	return d.Billing.CreateInvoice(context.Background(), in)
}

func (b *Billing) VoidInvoice(id string) error {
	d, err := b.app.backend()
	if err != nil {
		return err
	}
	return d.Billing.VoidInvoice(context.Background(), id)
}

func (b *Billing) RecordPayment(in billing.PaymentInput) (store.Payment, error) {
	d, err := b.app.backend()
	if err != nil {
		return store.Payment{}, err
	}
	return d.Billing.RecordPayment(context.Background(), in)
}

// Schedule is the firm's appointment schedule and the bookings clients made.
type Schedule struct{ app *App }

func (s *Schedule) Get() (api.Schedule, error) {
	d, err := s.app.backend()
	if err != nil {
		return api.Schedule{}, err
	}
	return d.Schedule.Get(context.Background())
}

func (s *Schedule) Save(sch api.Schedule) (api.Schedule, error) {
	d, err := s.app.backend()
	if err != nil {
		return api.Schedule{}, err
	}
	return d.Schedule.Save(context.Background(), sch)
}

func (s *Schedule) Upcoming() ([]store.Booking, error) {
	d, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	return d.Schedule.Upcoming(context.Background())
}

// Help is the firm's own help links for clients.
type Help struct{ app *App }

func (h *Help) Get() (api.Help, error) {
	d, err := h.app.backend()
	if err != nil {
		return api.Help{}, err
	}
	return d.Help.Get(context.Background())
}

func (h *Help) Save(links api.Help) (api.Help, error) {
	d, err := h.app.backend()
	if err != nil {
		return api.Help{}, err
	}
	return d.Help.Save(context.Background(), links)
}
