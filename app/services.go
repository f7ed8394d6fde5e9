package app

import (
	"context"
	"os"
	"path/filepath"

	"portico/backend/api"
	"portico/backend/desktop"
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

// The bound services are thin: one line each through call or run (app.go), which find the
// backend and give the call a context that shutdown cancels and waits for. A returned
// error rejects the promise in the UI with the error's text, which the backend words for
// staff.

// Session signs this desktop in to the firm's portal.
type Session struct{ app *App }

func (s *Session) Status() (session.Status, error) {
	return call(s.app, func(ctx context.Context, d *desktop.Desktop) (session.Status, error) { return d.Session.Status(ctx) })
}

func (s *Session) SignIn(portalURL, email, password string) (session.Status, error) {
	return call(s.app, func(ctx context.Context, d *desktop.Desktop) (session.Status, error) {
		return d.Session.SignIn(ctx, portalURL, email, password)
	})
}

func (s *Session) SignOut() error {
	return run(s.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Session.SignOut(ctx) })
}

// Clients is the firm's client book.
type Clients struct{ app *App }

func (c *Clients) List(query string, includeArchived bool) ([]store.ClientSummary, error) {
	return call(c.app, func(ctx context.Context, d *desktop.Desktop) ([]store.ClientSummary, error) {
		return d.Clients.List(ctx, query, includeArchived)
	})
}

func (c *Clients) Get(id string) (store.Client, error) {
	return call(c.app, func(ctx context.Context, d *desktop.Desktop) (store.Client, error) { return d.Clients.Get(ctx, id) })
}

func (c *Clients) Create(input clients.Input) (store.Client, error) {
	return call(c.app, func(ctx context.Context, d *desktop.Desktop) (store.Client, error) {
		return d.Clients.Create(ctx, input)
	})
}

func (c *Clients) Update(id string, input clients.Input) (store.Client, error) {
	return call(c.app, func(ctx context.Context, d *desktop.Desktop) (store.Client, error) {
		return d.Clients.Update(ctx, id, input)
	})
}

func (c *Clients) Archive(id string) (store.Client, error) {
	return call(c.app, func(ctx context.Context, d *desktop.Desktop) (store.Client, error) {
		return d.Clients.SetArchived(ctx, id, true)
	})
}

func (c *Clients) Unarchive(id string) (store.Client, error) {
	return call(c.app, func(ctx context.Context, d *desktop.Desktop) (store.Client, error) {
		return d.Clients.SetArchived(ctx, id, false)
	})
}

// Sync shows and nudges the sync engine.
type Sync struct{ app *App }

func (s *Sync) Status() (syncer.Status, error) {
	return call(s.app, func(ctx context.Context, d *desktop.Desktop) (syncer.Status, error) { return d.Sync.Status(ctx) })
}

func (s *Sync) SyncNow() error {
	return run(s.app, func(_ context.Context, d *desktop.Desktop) error { d.Sync.SyncNow(); return nil })
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
	current, err := d.LibraryFolder()
	if err != nil {
		return "", err
	}
	// The dialog waits for staff: it runs outside the call, which shutdown would wait for.
	dir, err := runtime.OpenDirectoryDialog(d.app.ctx, runtime.OpenDialogOptions{
		Title: "Choose the firm library", DefaultDirectory: current, CanCreateDirectories: true})
	if err != nil || dir == "" {
		return "", err
	}
	return dir, run(d.app, func(ctx context.Context, desk *desktop.Desktop) error { return desk.SetLibraryDir(ctx, dir) })
}

// Portal invites people to client portals and shows what became of the invitations.
type Portal struct{ app *App }

func (p *Portal) People(clientID string) ([]invites.PortalPerson, error) {
	return call(p.app, func(ctx context.Context, d *desktop.Desktop) ([]invites.PortalPerson, error) {
		return d.Invites.ForClient(ctx, clientID)
	})
}

func (p *Portal) Activity(clientID string) ([]store.AuditEntry, error) {
	return call(p.app, func(ctx context.Context, d *desktop.Desktop) ([]store.AuditEntry, error) {
		return d.Invites.Activity(ctx, clientID)
	})
}

func (p *Portal) Invite(clientID string, inv invites.Invitation) error {
	return run(p.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Invites.Send(ctx, clientID, inv) })
}

func (p *Portal) Resend(clientID, email string) error {
	return run(p.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Invites.Resend(ctx, clientID, email) })
}

func (p *Portal) RemoveAccess(clientID, email string) error {
	return run(p.app, func(ctx context.Context, d *desktop.Desktop) error {
		return d.Invites.RemoveAccess(ctx, clientID, email)
	})
}

func (p *Portal) Portals(filter, search string) ([]invites.PortalRow, error) {
	return call(p.app, func(ctx context.Context, d *desktop.Desktop) ([]invites.PortalRow, error) {
		return d.Invites.Portals(ctx, filter, search)
	})
}

func (p *Portal) InviteBulk(clientIDs []string) (invites.BulkResult, error) {
	return call(p.app, func(ctx context.Context, d *desktop.Desktop) (invites.BulkResult, error) {
		return d.Invites.SendBulk(ctx, clientIDs)
	})
}

func (p *Portal) Templates() ([]store.InviteTemplate, error) {
	return call(p.app, func(ctx context.Context, d *desktop.Desktop) ([]store.InviteTemplate, error) {
		return d.Invites.Templates(ctx)
	})
}

func (p *Portal) SaveTemplate(t store.InviteTemplate) (store.InviteTemplate, error) {
	return call(p.app, func(ctx context.Context, d *desktop.Desktop) (store.InviteTemplate, error) {
		return d.Invites.SaveTemplate(ctx, t)
	})
}

func (p *Portal) DeleteTemplate(id string) error {
	return run(p.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Invites.DeleteTemplate(ctx, id) })
}

// Todos are the tasks the firm gives its clients on the portal.
type Todos struct{ app *App }

func (t *Todos) List(clientID string) ([]store.Todo, error) {
	return call(t.app, func(ctx context.Context, d *desktop.Desktop) ([]store.Todo, error) {
		return d.Todos.List(ctx, clientID)
	})
}

func (t *Todos) Save(in todos.Input) (store.Todo, error) {
	return call(t.app, func(ctx context.Context, d *desktop.Desktop) (store.Todo, error) { return d.Todos.Save(ctx, in) })
}

func (t *Todos) Delete(id string) error {
	return run(t.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Todos.Delete(ctx, id) })
}

// Billing is a client's invoices and payments.
type Billing struct{ app *App }

func (b *Billing) Account(clientID string) (billing.Account, error) {
	return call(b.app, func(ctx context.Context, d *desktop.Desktop) (billing.Account, error) {
		return d.Billing.ForClient(ctx, clientID)
	})
}

func (b *Billing) CreateInvoice(in billing.InvoiceInput) (store.Invoice, error) {
	return call(b.app, func(ctx context.Context, d *desktop.Desktop) (store.Invoice, error) {
		return d.Billing.CreateInvoice(ctx, in)
	})
}

func (b *Billing) VoidInvoice(id string) error {
	return run(b.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Billing.VoidInvoice(ctx, id) })
}

func (b *Billing) RecordPayment(in billing.PaymentInput) (store.Payment, error) {
	return call(b.app, func(ctx context.Context, d *desktop.Desktop) (store.Payment, error) {
		return d.Billing.RecordPayment(ctx, in)
	})
}

// Schedule is the firm's appointment schedule and the bookings clients made.
type Schedule struct{ app *App }

func (s *Schedule) Get() (api.Schedule, error) {
	return call(s.app, func(ctx context.Context, d *desktop.Desktop) (api.Schedule, error) { return d.Schedule.Get(ctx) })
}

func (s *Schedule) Save(sch api.Schedule) (api.Schedule, error) {
	return call(s.app, func(ctx context.Context, d *desktop.Desktop) (api.Schedule, error) { return d.Schedule.Save(ctx, sch) })
}

func (s *Schedule) Upcoming() ([]store.Booking, error) {
	return call(s.app, func(ctx context.Context, d *desktop.Desktop) ([]store.Booking, error) {
		return d.Schedule.Upcoming(ctx)
	})
}

// Help is the firm's own help links for clients.
type Help struct{ app *App }

func (h *Help) Get() (api.Help, error) {
	return call(h.app, func(ctx context.Context, d *desktop.Desktop) (api.Help, error) { return d.Help.Get(ctx) })
}

func (h *Help) Save(links api.Help) (api.Help, error) {
	return call(h.app, func(ctx context.Context, d *desktop.Desktop) (api.Help, error) { return d.Help.Save(ctx, links) })
}

// Files is a client's files: on disk in the firm library, and on the portal when shared.
type Files struct{ app *App }

func (f *Files) List(clientID string) ([]files.View, error) {
	return call(f.app, func(ctx context.Context, d *desktop.Desktop) ([]files.View, error) {
		return d.Files.List(ctx, clientID)
	})
}

func (f *Files) Trash(clientID string) ([]files.View, error) {
	return call(f.app, func(ctx context.Context, d *desktop.Desktop) ([]files.View, error) {
		return d.Files.Trash(ctx, clientID)
	})
}

// Add copies files or folders (dropped from Explorer or Finder) into the client's folder.
func (f *Files) Add(clientID string, paths []string, visible bool) ([]files.View, error) {
	return call(f.app, func(ctx context.Context, d *desktop.Desktop) ([]files.View, error) {
		return d.Files.Add(ctx, clientID, paths, visible)
	})
}

// Choose asks for files with the system's dialog and adds them; nothing chosen adds nothing.
func (f *Files) Choose(clientID string, visible bool) ([]files.View, error) {
	if _, err := f.app.backend(); err != nil {
		return nil, err
	}
	paths, err := runtime.OpenMultipleFilesDialog(f.app.ctx, runtime.OpenDialogOptions{Title: "Add files"})
	if err != nil || len(paths) == 0 {
		return []files.View{}, err
	}
	return f.Add(clientID, paths, visible)
}

func (f *Files) SetVisible(id string, visible bool) (files.View, error) {
	return call(f.app, func(ctx context.Context, d *desktop.Desktop) (files.View, error) {
		return d.Files.SetVisible(ctx, id, visible)
	})
}

func (f *Files) Rename(id, name string) (files.View, error) {
	return call(f.app, func(ctx context.Context, d *desktop.Desktop) (files.View, error) {
		return d.Files.Rename(ctx, id, name)
	})
}

func (f *Files) Delete(id string) error {
	return run(f.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Files.Delete(ctx, id) })
}

func (f *Files) Restore(id string) (files.View, error) {
	return call(f.app, func(ctx context.Context, d *desktop.Desktop) (files.View, error) { return d.Files.Restore(ctx, id) })
}

// Open opens the file in the app the system uses for it.
func (f *Files) Open(id string) error {
	p, err := call(f.app, func(ctx context.Context, d *desktop.Desktop) (string, error) { return d.Files.AbsPath(ctx, id) })
	if err != nil {
		return err
	}
	return reveal.Open(p)
}

// Reveal shows the file in Explorer or Finder.
func (f *Files) Reveal(id string) error {
	p, err := call(f.app, func(ctx context.Context, d *desktop.Desktop) (string, error) { return d.Files.AbsPath(ctx, id) })
	if err != nil {
		return err
	}
	return reveal.Show(p)
}

// Folder opens the client's folder in Explorer or Finder.
func (f *Files) Folder(clientID string) error {
	p, err := call(f.app, func(ctx context.Context, d *desktop.Desktop) (string, error) {
		return d.Files.ClientFolder(ctx, clientID)
	})
	if err != nil {
		return err
	}
	return reveal.Open(p)
}

// Unmatched lists the library's folders that wait for staff to say whose they are.
func (f *Files) Unmatched() ([]files.Match, error) {
	return call(f.app, func(ctx context.Context, d *desktop.Desktop) ([]files.Match, error) { return d.Files.Unmatched(ctx) })
}

// Match gives folders to clients (or to no one); only then do they sync.
func (f *Files) Match(decisions []files.Decision) error {
	return run(f.app, func(ctx context.Context, d *desktop.Desktop) error { return d.Files.Match(ctx, decisions) })
}

// SealCertificate is what the firm's signed documents are sealed with (needs the portal).
func (d *Desktop) SealCertificate() (api.SealCert, error) {
	return call(d.app, func(ctx context.Context, desk *desktop.Desktop) (api.SealCert, error) {
		return desk.SealCert.Current(ctx)
	})
}

// ChooseSealCertificate asks for the firm's own .p12/.pfx file and sends it with its
// password; the certificate in use afterwards, or the old one when the dialog is cancelled.
func (d *Desktop) ChooseSealCertificate(password string) (api.SealCert, error) {
	if _, err := d.app.backend(); err != nil {
		return api.SealCert{}, err
	}
	path, err := runtime.OpenFileDialog(d.app.ctx, runtime.OpenDialogOptions{Title: "Choose the firm's certificate",
		Filters: []runtime.FileFilter{{DisplayName: "Certificates (*.p12, *.pfx)", Pattern: "*.p12;*.pfx"}}})
	if err != nil {
		return api.SealCert{}, err
	}
	if path == "" {
		return d.SealCertificate()
	}
	return call(d.app, func(ctx context.Context, desk *desktop.Desktop) (api.SealCert, error) {
		return desk.SealCert.Upload(ctx, path, password)
	})
}

// ESign is the eSignature requests of a client: prepared here, offline if need be, signed on
// the portal.
type ESign struct{ app *App }

// Open reads a PDF of the client's files for the editor.
func (e *ESign) Open(fileID string) (esign.Document, error) {
	return call(e.app, func(ctx context.Context, d *desktop.Desktop) (esign.Document, error) {
		return d.ESign.Open(ctx, fileID)
	})
}

// CheckEmail says what is wrong with an email address typed in, by the rule the portal
// applies, or "" when nothing is: the recipient form refuses it before it adds anyone.
func (e *ESign) CheckEmail(email string) string {
	if err := api.CheckEmail(email); err != nil {
		return err.Error()
	}
	return ""
}

// Recipients suggests the people on the client record.
func (e *ESign) Recipients(clientID string) ([]api.Recipient, error) {
	return call(e.app, func(ctx context.Context, d *desktop.Desktop) ([]api.Recipient, error) {
		return d.ESign.Recipients(ctx, clientID)
	})
}

// Message is the default subject and message of a request.
func (e *ESign) Message(title string) ([]string, error) {
	return call(e.app, func(_ context.Context, d *desktop.Desktop) ([]string, error) {
		subject, message := d.ESign.Message(title)
		return []string{subject, message}, nil
	})
}

func (e *ESign) Save(draft esign.Draft) (esign.View, error) {
	return call(e.app, func(ctx context.Context, d *desktop.Desktop) (esign.View, error) { return d.ESign.Save(ctx, draft) })
}

// Send queues the request: it goes out on the next sync.
func (e *ESign) Send(draft esign.Draft) (esign.View, error) {
	return call(e.app, func(ctx context.Context, d *desktop.Desktop) (esign.View, error) { return d.ESign.Send(ctx, draft) })
}

func (e *ESign) Get(id string) (esign.View, error) {
	return call(e.app, func(ctx context.Context, d *desktop.Desktop) (esign.View, error) { return d.ESign.Get(ctx, id) })
}

func (e *ESign) List(clientID string) ([]esign.View, error) {
	return call(e.app, func(ctx context.Context, d *desktop.Desktop) ([]esign.View, error) {
		return d.ESign.List(ctx, clientID)
	})
}

func (e *ESign) Void(id, reason string) (esign.View, error) {
	return call(e.app, func(ctx context.Context, d *desktop.Desktop) (esign.View, error) {
		return d.ESign.Void(ctx, id, reason)
	})
}

func (e *ESign) Discard(id string) error {
	return run(e.app, func(ctx context.Context, d *desktop.Desktop) error { return d.ESign.Discard(ctx, id) })
}
