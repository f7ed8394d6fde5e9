// Package app is the Wails-facing layer: window options, lifecycle and the services bound
// to the UI. It is the only package that imports Wails; the logic lives in backend/.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"portico/backend/desktop"
	"portico/backend/secrets"
)

// Run opens the window and blocks until it closes.
func Run(assets fs.FS) error {
	a := &App{}
	return wails.Run(&options.App{
		Title:            "Portico",
		Width:            1200,
		Height:           800,
		MinWidth:         900,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 251, A: 1},
		OnStartup:        a.startup,
		OnShutdown:       a.shutdown,
		Bind:             []any{&Session{app: a}, &Clients{app: a}, &Sync{app: a}},
		Linux:            &linux.Options{ProgramName: "Portico"},
	})
}

// App owns the backend for the life of the window.
type App struct {
	mu      sync.Mutex
	desk    *desktop.Desktop
	openErr error
}

// ErrNotReady is returned when a call comes before start-up finished or after it failed.
var ErrNotReady = errors.New("Portico is still starting")

func (a *App) backend() (*desktop.Desktop, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.openErr != nil {
		return nil, fmt.Errorf("Portico could not open its data: %w", a.openErr)
	}
	if a.desk == nil {
		return nil, ErrNotReady
	}
	return a.desk, nil
}

// emitter sends events through the Wails runtime with the context Wails gave at start-up;
// runtime.* with any other context kills the process.
type emitter struct{ ctx context.Context }

func (e emitter) Emit(name string, data any) { runtime.EventsEmit(e.ctx, name, data) }

func (a *App) startup(ctx context.Context) {
	d, err := desktop.Open(ctx, desktop.Config{
		DataDir: dataDir(),
		Keyring: secrets.OS{},
		Events:  emitter{ctx},
	})
	a.mu.Lock()
	a.desk, a.openErr = d, err
	a.mu.Unlock()
	if err != nil {
		slog.Error("opening the desktop database", "err", err)
		return
	}
	go a.resume(context.WithoutCancel(ctx), d)
}

// resume starts syncing, signing in first when the environment asks to (make run does).
func (a *App) resume(ctx context.Context, d *desktop.Desktop) {
	if err := d.Session.Resume(ctx); err != nil {
		slog.Warn("not syncing", "err", err)
	}
	st, err := d.Session.Status(ctx)
	url, email, pw := os.Getenv("PORTICO_PORTAL_URL"), os.Getenv("PORTICO_EMAIL"), os.Getenv("PORTICO_PASSWORD")
	if err == nil && !st.SignedIn && url != "" && email != "" && pw != "" {
		if _, err := d.Session.SignIn(ctx, url, email, pw); err != nil {
			slog.Error("automatic sign-in", "err", err)
		}
	}
}

func (a *App) shutdown(context.Context) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.desk != nil {
		a.desk.Close()
	}
}

// dataDir is PORTICO_DATA_DIR, or Portico in the user's configuration folder.
func dataDir() string {
	if d := os.Getenv("PORTICO_DATA_DIR"); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "Portico")
}
