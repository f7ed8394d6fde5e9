package app

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"portico/backend/desktop"
)

// A bound call gets [] for "none", and shutdown cancels the calls running and waits for
// them before it closes the database; later calls are refused.
func TestCallsAndShutdown(t *testing.T) {
	d, err := desktop.Open(context.Background(), desktop.Config{DataDir: t.TempDir(), LibraryDir: t.TempDir(), Keyring: noKeyring{}})
	if err != nil {
		t.Fatal(err)
	}
	a := &App{desk: d}
	a.callCtx, a.stopCalls = context.WithCancel(context.Background())

	list, err := call(a, func(context.Context, *desktop.Desktop) ([]string, error) { return nil, nil })
	if err != nil || list == nil {
		t.Fatalf("a call that found nothing: %#v, %v", list, err)
	}

	started, finished := make(chan struct{}), atomic.Bool{}
	go run(a, func(ctx context.Context, _ *desktop.Desktop) error {
		close(started)
		<-ctx.Done() // a long call: shutdown ends it
		time.Sleep(10 * time.Millisecond)
		finished.Store(true)
		return ctx.Err()
	})
	<-started
	a.shutdown(context.Background())
	if !finished.Load() {
		t.Fatal("shutdown closed the database before the running call returned")
	}
	if err := run(a, func(context.Context, *desktop.Desktop) error { return nil }); !errors.Is(err, ErrClosing) {
		t.Fatalf("a call after shutdown: %v, want ErrClosing", err)
	}
}

type noKeyring struct{}

func (noKeyring) Get(string, string) (string, error) { return "", errors.New("no keyring here") }
func (noKeyring) Set(string, string, string) error   { return nil }
func (noKeyring) Delete(string, string) error        { return nil }
