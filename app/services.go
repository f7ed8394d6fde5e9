package app

import (
	"context"
	"os"
	"path/filepath"

	"portico/backend/api"
	"portico/backend/desktop/autostart"
	"portico/backend/desktop/billing"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/esign"
	"portico/backend/desktop/files"
	"portico/backend/desktop/invites"
	"portico/backend/desktop/library"
	"portico/backend/desktop/reveal"
	"portico/backend/desktop/session"
	"portico/backend/desktop/store"
	"portico/backend/desktop/syncer"
	"portico/backend/desktop/todos"

	"github.com/wailsapp/wails/v2/pkg/runtime"
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

// LibraryFolder is where the firm library is on this computer.
func (d *Desktop) LibraryFolder() (string, error) {
	desk, err := d.app.backend()
	if err != nil {
		return library.DefaultDir()
	}
	return desk.Files.Root, nil
}

// ChooseLibraryFolder asks for a folder with the system's dialog and makes it the firm
// library from the next start; "" when staff cancelled.
func (d *Desktop) ChooseLibraryFolder() (string, error) {
	desk, err := d.app.backend()
	if err != nil {
		return "", err
	}
	dir, err := runtime.OpenDirectoryDialog(d.app.ctx, runtime.OpenDialogOptions{
		Title: "Choose the firm library", DefaultDirectory: desk.Files.Root, CanCreateDirectories: true})
	if err != nil || dir == "" {
		return "", err
	}
	return dir, desk.SetLibraryDir(context.Background(), dir)
}

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

// Files is a client's files: on disk in the firm library, and on the portal when shared.
type Files struct{ app *App }

func (f *Files) files() (*files.Service, error) {
	d, err := f.app.backend()
	if err != nil {
		return nil, err
	}
	return d.Files, nil
}

func (f *Files) List(clientID string) ([]files.View, error) {
	s, err := f.files()
	if err != nil {
		return nil, err
	}
	return s.List(context.Background(), clientID)
}

func (f *Files) Trash(clientID string) ([]files.View, error) {
	s, err := f.files()
	if err != nil {
		return nil, err
	}
	return s.Trash(context.Background(), clientID)
}

// Add copies files or folders (dropped from Explorer or Finder) into the client's folder.
func (f *Files) Add(clientID string, paths []string, visible bool) ([]files.View, error) {
	s, err := f.files()
	if err != nil {
		return nil, err
	}
	return s.Add(context.Background(), clientID, paths, visible)
}

// Choose asks for files with the system's dialog and adds them; nothing chosen adds nothing.
func (f *Files) Choose(clientID string, visible bool) ([]files.View, error) {
	s, err := f.files()
	if err != nil {
		return nil, err
	}
	paths, err := runtime.OpenMultipleFilesDialog(f.app.ctx, runtime.OpenDialogOptions{Title: "Add files"})
	if err != nil || len(paths) == 0 {
		return nil, err
	}
	return s.Add(context.Background(), clientID, paths, visible)
}

func (f *Files) SetVisible(id string, visible bool) (files.View, error) {
	s, err := f.files()
	if err != nil {
		return files.View{}, err
	}
	return s.SetVisible(context.Background(), id, visible)
}

func (f *Files) Rename(id, name string) (files.View, error) {
	s, err := f.files()
	if err != nil {
		return files.View{}, err
	}
	return s.Rename(context.Background(), id, name)
}

func (f *Files) Delete(id string) error {
	s, err := f.files()
	if err != nil {
		return err
	}
	return s.Delete(context.Background(), id)
}

func (f *Files) Restore(id string) (files.View, error) {
	s, err := f.files()
	if err != nil {
		return files.View{}, err
	}
	return s.Restore(context.Background(), id)
}

// Open opens the file in the app the system uses for it.
func (f *Files) Open(id string) error {
	s, err := f.files()
	if err != nil {
		return err
	}
	p, err := s.AbsPath(context.Background(), id)
	if err != nil {
		return err
	}
	return reveal.Open(p)
}

// Reveal shows the file in Explorer or Finder.
func (f *Files) Reveal(id string) error {
	s, err := f.files()
	if err != nil {
		return err
	}
	p, err := s.AbsPath(context.Background(), id)
	if err != nil {
		return err
	}
	return reveal.Show(p)
}

// Folder opens the client's folder in Explorer or Finder.
func (f *Files) Folder(clientID string) error {
	s, err := f.files()
	if err != nil {
		return err
	}
	p, err := s.ClientFolder(context.Background(), clientID)
	if err != nil {
		return err
	}
	return reveal.Open(p)
}

// Unmatched lists the library's folders that wait for staff to say whose they are.
func (f *Files) Unmatched() ([]files.Match, error) {
	s, err := f.files()
	if err != nil {
		return nil, err
	}
	return s.Unmatched(context.Background())
}

// Match gives folders to clients (or to no one); only then do they sync.
func (f *Files) Match(decisions []files.Decision) error {
	s, err := f.files()
	if err != nil {
		return err
	}
	return s.Match(context.Background(), decisions)
}

// SealCertificate is what the firm's signed documents are sealed with (needs the portal).
func (d *Desktop) SealCertificate() (api.SealCert, error) {
	desk, err := d.app.backend()
	if err != nil {
		return api.SealCert{}, err
	}
	return desk.SealCert.Current(context.Background())
}

// ChooseSealCertificate asks for the firm's own .p12/.pfx file and sends it with its
// password; the certificate in use afterwards, or the old one when the dialog is cancelled.
func (d *Desktop) ChooseSealCertificate(password string) (api.SealCert, error) {
	desk, err := d.app.backend()
	if err != nil {
		return api.SealCert{}, err
	}
	path, err := runtime.OpenFileDialog(d.app.ctx, runtime.OpenDialogOptions{Title: "Choose the firm's certificate",
		Filters: []runtime.FileFilter{{DisplayName: "Certificates (*.p12, *.pfx)", Pattern: "*.p12;*.pfx"}}})
	if err != nil {
		return api.SealCert{}, err
	}
	if path == "" {
		return desk.SealCert.Current(context.Background())
	}
	return desk.SealCert.Upload(context.Background(), path, password)
}

// ESign is the eSignature requests of a client: prepared here, offline if need be, signed on
// the portal.
type ESign struct{ app *App }

func (e *ESign) esign() (*esign.Service, error) {
	d, err := e.app.backend()
	if err != nil {
		return nil, err
	}
	return d.ESign, nil
}

// Open reads a PDF of the client's files for the editor.
func (e *ESign) Open(fileID string) (esign.Document, error) {
	s, err := e.esign()
	if err != nil {
		return esign.Document{}, err
	}
	return s.Open(context.Background(), fileID)
}

// Recipients suggests the people on the client record.
func (e *ESign) Recipients(clientID string) ([]api.Recipient, error) {
	s, err := e.esign()
	if err != nil {
		return nil, err
	}
	return s.Recipients(context.Background(), clientID)
}

// Message is the default subject and message of a request.
func (e *ESign) Message(title string) ([]string, error) {
	s, err := e.esign()
	if err != nil {
		return nil, err
	}
	subject, message := s.Message(title)
	return []string{subject, message}, nil
}

func (e *ESign) Save(d esign.Draft) (esign.View, error) {
	s, err := e.esign()
	if err != nil {
		return esign.View{}, err
	}
	return s.Save(context.Background(), d)
}

// Send queues the request: it goes out on the next sync.
func (e *ESign) Send(d esign.Draft) (esign.View, error) {
	s, err := e.esign()
	if err != nil {
		return esign.View{}, err
	}
	return s.Send(context.Background(), d)
}

func (e *ESign) Get(id string) (esign.View, error) {
	s, err := e.esign()
	if err != nil {
		return esign.View{}, err
	}
	return s.Get(context.Background(), id)
}

func (e *ESign) List(clientID string) ([]esign.View, error) {
	s, err := e.esign()
	if err != nil {
		return nil, err
	}
	return s.List(context.Background(), clientID)
}

func (e *ESign) Void(id, reason string) (esign.View, error) {
	s, err := e.esign()
	if err != nil {
		return esign.View{}, err
	}
	return s.Void(context.Background(), id, reason)
}

func (e *ESign) Discard(id string) error {
	s, err := e.esign()
	if err != nil {
		return err
	}
	return s.Discard(context.Background(), id)
}
