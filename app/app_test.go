package app

import (
	"context"
	"encoding/json"
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

func TestNothingReachesTheUIAsNull(t *testing.T) {
	type line struct{ Tags []string }
	type view struct {
		Lines  []line
		Next   *view
		ByName map[string][]int
		hidden []int
	}
	shared := &view{}
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"nil slice", []int(nil), `[]`},
		{"nested", view{Lines: []line{{}}, Next: shared}, `{"Lines":[{"Tags":[]}],"Next":{"Lines":[],"Next":null,"ByName":null},"ByName":null}`},
		{"map values", map[string][]int{"a": nil}, `{"a":[]}`},
		{"nil interface", nil, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(notNil(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
	if shared.Lines != nil {
		t.Error("notNil wrote through a pointer it was given")
	}
}
