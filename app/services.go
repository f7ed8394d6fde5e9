package app

import (
	"context"
	"os"
	"path/filepath"

	"portico/backend/autostart"
	"portico/backend/clients"
	"portico/backend/invites"
	"portico/backend/library"
	"portico/backend/session"
	"portico/backend/store"
	"portico/backend/syncer"
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
