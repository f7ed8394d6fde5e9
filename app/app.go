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
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"portico/backend/desktop"
	"portico/backend/desktop/secrets"
	"portico/backend/desktop/winstate"
)

// AppID names the app to the OS: the single-instance lock, the autostart entry.
const AppID = "com.portico.desktop"

// Run opens the window and blocks until it closes.
func Run(assets fs.FS) error {
	a := &App{dataDir: dataDir()}
	win := winstate.Load(a.windowFile())
	startState := options.Normal
	if win.Maximised {
		startState = options.Maximised
	}
	if slices.Contains(os.Args[1:], "--minimised") { // started at login
		startState = options.Minimised
	}
	return wails.Run(&options.App{
		Title:            "Portico",
		Width:            win.Width,
		Height:           win.Height,
		MinWidth:         winstate.MinWidth,
		MinHeight:        winstate.MinHeight,
		WindowStartState: startState,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 248, G: 249, B: 251, A: 1},
		OnStartup:        a.startup,
		OnDomReady:       func(ctx context.Context) { a.placeWindow(ctx, win) },
		OnBeforeClose:    a.beforeClose,
		OnShutdown:       a.shutdown,
		// A second launch hands over to the first instead of watching the same folders twice.
		SingleInstanceLock: &options.SingleInstanceLock{UniqueId: AppID, OnSecondInstanceLaunch: a.focus},
		Bind:               []any{&Session{app: a}, &Clients{app: a}, &Sync{app: a}, &Desktop{app: a}, &Portal{app: a}, &Todos{app: a}, &Billing{app: a}, &Schedule{app: a}, &Help{app: a}, &Files{app: a}, &ESign{app: a}},
		Linux:              &linux.Options{ProgramName: "Portico"},
		// Files dropped from Explorer or Finder go to Go as paths (the UI finds the client
		// under the pointer); the web view must not open them itself.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true,
			CSSDropProperty: "--wails-drop-target", CSSDropValue: "drop"},
	})
}

// App owns the backend for the life of the window.
type App struct {
	dataDir string
	ctx     context.Context // from Wails, set at start-up

	mu        sync.Mutex
	desk      *desktop.Desktop
	openErr   error
	closing   bool
	callCtx   context.Context // what bound calls run with: shutdown cancels it
	stopCalls context.CancelFunc
	calls     sync.WaitGroup // bound calls running now: shutdown waits for them
}

// Errors of a call that came too early or too late.
var (
	ErrNotReady = errors.New("Portico is still starting")
	ErrClosing  = errors.New("Portico is closing")
)

func (a *App) backend() (*desktop.Desktop, error) {
	d, _, done, err := a.enter()
	if err != nil {
		return nil, err
	}
	done()
	return d, nil
}

// enter starts a bound call: the backend, the context to run it with, and done to call
// when it returns.
func (a *App) enter() (*desktop.Desktop, context.Context, func(), error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.openErr != nil:
		return nil, nil, nil, fmt.Errorf("Portico could not open its data: %w", a.openErr)
	case a.closing:
		return nil, nil, nil, ErrClosing
	case a.desk == nil:
		return nil, nil, nil, ErrNotReady
	}
	a.calls.Add(1)
	return a.desk, a.callCtx, a.calls.Done, nil
}

// call runs one bound method's work on the backend.
func call[T any](a *App, f func(context.Context, *desktop.Desktop) (T, error)) (T, error) {
	d, ctx, done, err := a.enter()
	if err != nil {
		var zero T
		return zero, err
	}
	defer done()
	v, err := f(ctx, d)
	return notNil(v), err
}

// notNil gives the UI [] for "none", never null: every nil slice in v, however deep, is
// made empty. It builds a copy rather than writing through v's pointers, which may be the
// backend's own.
func notNil[T any](v T) T {
	var out T
	reflect.ValueOf(&out).Elem().Set(filled(reflect.ValueOf(&v).Elem()))
	return out
}

func filled(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return reflect.MakeSlice(v.Type(), 0, 0)
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(filled(v.Index(i)))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(filled(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := range v.NumField() {
			if out.Field(i).CanSet() {
				out.Field(i).Set(filled(v.Field(i)))
			}
		}
		return out
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		return filled(v.Elem())
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), filled(it.Value()))
		}
		return out
	}
	return v
}

// run is call for methods that return only an error.
func run(a *App, f func(context.Context, *desktop.Desktop) error) error {
	_, err := call(a, func(ctx context.Context, d *desktop.Desktop) (struct{}, error) { return struct{}{}, f(ctx, d) })
	return err
}

// emitter sends events through the Wails runtime with the context Wails gave at start-up;
// runtime.* with any other context kills the process.
type emitter struct{ ctx context.Context }

func (e emitter) Emit(name string, data any) { runtime.EventsEmit(e.ctx, name, data) }

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	d, err := desktop.Open(ctx, desktop.Config{
		DataDir:    a.dataDir,
		Keyring:    secrets.OS{},
		Events:     emitter{ctx},
		LibraryDir: os.Getenv("PORTICO_LIBRARY"), // make run and the UI tests keep it out of Documents
	})
	a.mu.Lock()
	a.desk, a.openErr = d, err
	a.callCtx, a.stopCalls = context.WithCancel(context.Background())
	a.mu.Unlock()
	if err != nil {
		slog.Error("opening the desktop database", "err", err)
		return
	}
	// A call like the UI's: shutdown cancels it and waits for it.
	go run(a, func(ctx context.Context, d *desktop.Desktop) error { a.resume(ctx, d); return nil })
}

// resume starts syncing, signing in first when the environment asks to (make run does).
func (a *App) resume(ctx context.Context, d *desktop.Desktop) {
	defer runtime.EventsEmit(a.ctx, desktop.EventSessionChanged)
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
	if os.Getenv("PORTICO_DEMO") == "1" {
		a.seedDemo(ctx, d)
	}
}

// seedDemo fills make run's demo firm once the first pull has told what the portal holds
// (a desktop data folder removed since must not add the sample clients twice).
func (a *App) seedDemo(ctx context.Context, d *desktop.Desktop) {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for range 120 {
		if st, err := d.Sync.Status(ctx); err == nil && st.LastSync != "" && st.Online {
			if err := d.SeedDemo(ctx, time.Now()); err != nil {
				slog.Error("demo firm", "err", err)
			}
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
	slog.Warn("demo firm: no sync within a minute; no sample clients")
}

func (a *App) windowFile() string { return filepath.Join(a.dataDir, "window.json") }

// placeWindow puts the window back where it was when that place is known.
func (a *App) placeWindow(ctx context.Context, win winstate.State) {
	if win.Known && !win.Maximised {
		runtime.WindowSetPosition(ctx, win.X, win.Y)
	}
}

// beforeClose remembers the window's size and position for the next launch.
func (a *App) beforeClose(ctx context.Context) bool {
	st := winstate.State{Maximised: runtime.WindowIsMaximised(ctx)}
	if !st.Maximised && !runtime.WindowIsMinimised(ctx) {
		st.Width, st.Height = runtime.WindowGetSize(ctx)
		st.X, st.Y = runtime.WindowGetPosition(ctx)
	} else {
		prev := winstate.Load(a.windowFile())
		st.X, st.Y, st.Width, st.Height = prev.X, prev.Y, prev.Width, prev.Height
	}
	if err := winstate.Save(a.windowFile(), st); err != nil {
		slog.Warn("saving the window state", "err", err)
	}
	return false
}

// focus brings the running window forward when Portico is launched again.
func (a *App) focus(second options.SecondInstanceData) {
	slog.Info("second launch folded into this window", "args", second.Args)
	if a.ctx == nil {
		return
	}
	runtime.WindowUnminimise(a.ctx)
	runtime.Show(a.ctx)
	runtime.EventsEmit(a.ctx, EventSecondInstance)
}

// EventSecondInstance tells the UI another launch was folded into this window.
const EventSecondInstance = "app:second-instance"

// shutdown refuses new calls, cancels the running ones and waits for them before it closes
// the database under them.
func (a *App) shutdown(context.Context) {
	a.mu.Lock()
	a.closing = true
	stop, d := a.stopCalls, a.desk
	a.mu.Unlock()
	if stop != nil {
		stop()
	}
	a.calls.Wait()
	if d != nil {
		d.Close()
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
