// Package desktop assembles the staff app's backend without any window: the store, the
// services and the sync engine. The Wails layer and the integration tests both start it.
package desktop

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/billing"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/esign"
	"portico/backend/desktop/files"
	"portico/backend/desktop/helplinks"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/invites"
	"portico/backend/desktop/library"
	"portico/backend/desktop/schedule"
	"portico/backend/desktop/sealcert"
	"portico/backend/desktop/secrets"
	"portico/backend/desktop/session"
	"portico/backend/desktop/store"
	"portico/backend/desktop/syncer"
	"portico/backend/desktop/todos"
	"portico/backend/desktop/watch"
)

// Event names the UI subscribes to.
const (
	EventSyncStatus     = "sync:status"     // payload: syncer.Status
	EventClientsChanged = "clients:changed" // no payload: reload what shows clients
	EventSessionChanged = "session:changed" // no payload: reload the sign-in status
	EventPortalChanged  = "portal:changed"  // no payload: reload portal access, activity, to-dos and billing
	EventFilesChanged   = "files:changed"   // payload: []string client ids whose files changed
	EventPacketsChanged = "esign:changed"   // payload: []string client ids whose packets changed
)

// Emitter sends an event to the UI. The Wails layer implements it; tests record.
type Emitter interface {
	Emit(name string, data any)
}

type Config struct {
	DataDir    string
	Keyring    secrets.Keyring
	HTTP       *http.Client // nil: a client with sensible timeouts
	DeviceName string
	Events     Emitter // nil: events are dropped
	LibraryDir string  // the firm library; "" is the setting, or Documents/Portico
	Watch      watch.Options
}

type Desktop struct {
	DataDir  string
	Store    *store.Store
	Clients  *clients.Service
	Invites  *invites.Service
	Todos    *todos.Service
	ESign    *esign.Service
	SealCert *sealcert.Service
	Billing  *billing.Service
	Schedule *schedule.Service
	Help     *helplinks.Service
	Files    *files.Service
	Session  *session.Service
	Sync     *syncer.Engine

	stopWatch context.CancelFunc
	watching  sync.WaitGroup
}

// Open opens the desktop's database under cfg.DataDir. Call Session.Resume to start
// syncing when this desktop was signed in before.
func Open(ctx context.Context, cfg Config) (*Desktop, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	st, err := store.Open(ctx, filepath.Join(cfg.DataDir, "portico.db"))
	if err != nil {
		return nil, err
	}
	emit := func(name string, data any) {
		if cfg.Events != nil {
			cfg.Events.Emit(name, data)
		}
	}
	hc := cfg.HTTP
	if hc == nil {
		// Long polls wait up to syncer.PullWait; the timeout leaves room above that.
		hc = &http.Client{Timeout: syncer.PullWait + 30*time.Second}
	}
	if cfg.DeviceName == "" {
		cfg.DeviceName, _ = os.Hostname()
	}
	d := &Desktop{DataDir: cfg.DataDir, Store: st}
	d.Sync = &syncer.Engine{
		Store:    st,
		OnStatus: func(s syncer.Status) { emit(EventSyncStatus, s) },
		OnPulled: func(kinds []string) {
			emit(EventClientsChanged, nil)
			if d.Files != nil {
				d.Files.Kick()   // client uploads to fetch
				d.Files.Pulled() // and the Files tabs to refresh
				if slices.Contains(kinds, api.KindClientPut) {
					d.Files.ClientsChanged() // another desktop's clients need folders here too
				}
			}
			if slices.Contains(kinds, api.KindPacketState) {
				emit(EventPacketsChanged, nil)
			}
			for _, k := range kinds {
				if k != api.KindClientPut {
					emit(EventPortalChanged, nil)
					break
				}
			}
		},
	}
	d.Clients = &clients.Service{Store: st, Now: time.Now, Wake: d.Sync.Wake}
	d.Invites = &invites.Service{Store: st, Now: time.Now, Wake: d.Sync.Wake}
	d.Todos = &todos.Service{Store: st, Now: time.Now, Wake: d.Sync.Wake}
	d.Billing = &billing.Service{Store: st, Now: time.Now, Wake: d.Sync.Wake}
	d.Help = &helplinks.Service{Store: st, Now: time.Now, Wake: d.Sync.Wake}
	d.Schedule = &schedule.Service{Store: st, Now: time.Now, Wake: d.Sync.Wake, Zone: localZone()}
	lib, err := libraryDir(ctx, st, cfg.LibraryDir)
	if err != nil {
		st.Close()
		return nil, err
	}
	d.Files = &files.Service{Store: st, Root: lib, Now: time.Now, Wake: d.Sync.Wake,
		Emit:  func(ids []string) { emit(EventFilesChanged, ids) },
		Staff: func() string { return d.Session.StaffName(context.Background()) }}
	d.ESign = &esign.Service{Store: st, Files: d.Files, Dir: filepath.Join(cfg.DataDir, "packets"), Now: time.Now,
		Wake: d.Sync.Wake, Emit: func(ids []string) { emit(EventPacketsChanged, ids) },
		Staff: func() string { return d.Session.StaffName(context.Background()) }}
	d.Sync.Appliers = map[string]syncer.Applier{api.KindClientPut: d.Clients,
		api.KindPortalUser: d.Invites, api.KindPortalAudit: d.Invites, api.KindTodoPut: d.Todos,
		api.KindInvoicePut: d.Billing, api.KindPaymentPut: d.Billing,
		api.KindSchedulePut: d.Schedule, api.KindBookingPut: d.Schedule, api.KindHelpPut: d.Help,
		api.KindFilePut: d.Files, api.KindPacketState: d.ESign}
	d.Sync.OnAcked = func(ops []store.Op) { d.Files.Acked(ops); d.ESign.Acked(ops) }
	d.Sync.Workers = append(d.Sync.Workers, func(ctx context.Context, c *syncer.Client) { d.Files.Run(ctx, c.Blobs()) },
		func(ctx context.Context, c *syncer.Client) { d.ESign.Run(ctx, c.Blobs()) })
	d.Clients.Wake = func() { d.Sync.Wake(); d.Files.ClientsChanged() }
	wctx, cancel := context.WithCancel(context.Background())
	d.stopWatch = cancel
	d.watching.Add(1)
	go func() {
		defer d.watching.Done()
		if err := d.Files.Watch(wctx, cfg.Watch); err != nil {
			slog.Error("the firm library is not watched", "dir", lib, "err", err)
		}
	}()
	d.Session = &session.Service{
		Store: st, Tokens: secrets.Tokens{Keyring: cfg.Keyring}, HTTP: hc, Engine: d.Sync, DeviceName: cfg.DeviceName,
	}
	d.SealCert = &sealcert.Service{Portal: d.Session}
	return d, nil
}

// SettingLibrary is where staff moved the firm library.
const SettingLibrary = "library.dir"

// libraryDir is the firm library: as configured, as set in the app, or the default.
func libraryDir(ctx context.Context, st *store.Store, configured string) (string, error) {
	if configured != "" {
		return filepath.Abs(configured)
	}
	if dir, _ := st.Setting(ctx, SettingLibrary); dir != "" {
		return dir, nil
	}
	return library.DefaultDir()
}

// SetLibraryDir makes dir the firm library from the next start: the watcher and every client
// folder move with it then. It must be a folder this user can write in.
func (d *Desktop) SetLibraryDir(ctx context.Context, dir string) error {
	if !filepath.IsAbs(dir) {
		return invalid.New("choose a whole folder path, not %q", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return invalid.New("Portico cannot make the folder %s: %v", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".portico-probe-*")
	if err != nil {
		return invalid.New("Portico cannot write in %s: %v", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return d.Store.SetSettings(ctx, map[string]string{SettingLibrary: filepath.Clean(dir)})
}

// localZone is this computer's IANA time zone, when it can tell.
func localZone() string {
	if tz := os.Getenv("TZ"); tz != "" {
		return tz
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, name, ok := strings.Cut(target, "zoneinfo/"); ok {
			return name
		}
	}
	if name := time.Local.String(); name != "Local" {
		return name
	}
	return "UTC"
}

// Close stops syncing and closes the database.
func (d *Desktop) Close() error {
	d.stopWatch()
	d.watching.Wait()
	d.Sync.Stop()
	return d.Store.Close()
}
