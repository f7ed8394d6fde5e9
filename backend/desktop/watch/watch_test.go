package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// patience bounds every wait: generous, because the machine may be loaded. Tests only
// wait this long when they are about to fail.
const patience = 10 * time.Second

// harness runs a Watcher on a temporary library and collects what it reports.
type harness struct {
	t    *testing.T
	root string
	out  chan Batch
	done chan error
	seen map[string]int // path -> how many batches named it
}

// start creates the files (slash-separated; a trailing slash makes a directory), runs a
// Watcher and waits for its start-up rescan, after which every directory is watched.
func start(t *testing.T, opts Options, files ...string) *harness {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		if strings.HasSuffix(f, "/") {
			mkdir(t, root, f)
		} else {
			write(t, root, f, "x")
		}
	}
	w, err := New(root, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{t: t, root: w.root, out: make(chan Batch), done: make(chan error, 1), seen: make(map[string]int)}
	go func() { h.done <- w.Run(ctx, h.out) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-h.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(patience):
			t.Error("Run did not return after cancel")
		}
	})
	b, ok := h.receive(time.Now().Add(patience))
	if !ok || !b.Rescan {
		t.Fatalf("first batch %+v, %v; want the start-up rescan", b, ok)
	}
	return h
}

// receive takes one batch, recording its paths and checking that none is ignored.
func (h *harness) receive(deadline time.Time) (Batch, bool) {
	h.t.Helper()
	select {
	case b := <-h.out:
		if b.Rescan && len(b.Paths) > 0 {
			h.t.Errorf("rescan with paths: %+v", b)
		}
		if !slices.IsSorted(b.Paths) || len(slices.Compact(slices.Clone(b.Paths))) != len(b.Paths) {
			h.t.Errorf("paths not sorted and unique: %q", b.Paths)
		}
		for _, p := range b.Paths {
			if Ignored(filepath.Base(p)) {
				h.t.Errorf("ignored name reported: %q", p)
			}
			h.seen[p]++
		}
		return b, true
	case err := <-h.done:
		h.done <- err // for the cleanup, which waits for it
		h.t.Fatalf("Run returned early: %v", err)
	case <-time.After(time.Until(deadline)):
	}
	return Batch{}, false
}

// waitFor receives until every path (slash-separated) has been reported.
func (h *harness) waitFor(paths ...string) {
	h.t.Helper()
	deadline := time.Now().Add(patience)
	for {
		var missing []string
		for _, p := range paths {
			if h.seen[filepath.FromSlash(p)] == 0 {
				missing = append(missing, p)
			}
		}
		if len(missing) == 0 {
			return
		}
		if _, ok := h.receive(deadline); !ok {
			h.t.Fatalf("not reported within %v: %q (of %d); seen %v", patience, missing, len(paths), h.seen)
		}
	}
}

// quiet receives for d, to see what else comes.
func (h *harness) quiet(d time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		h.receive(deadline)
	}
}

func (h *harness) path(rel string) string { return filepath.Join(h.root, filepath.FromSlash(rel)) }

func write(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, root, rel string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(rel)), 0o755); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, h *harness, from, to string) {
	t.Helper()
	if err := os.Rename(h.path(from), h.path(to)); err != nil {
		t.Fatal(err)
	}
}

var fast = Options{Settle: 50 * time.Millisecond}

func TestWatchDropFile(t *testing.T) {
	t.Parallel()
	h := start(t, fast, "Client A/")
	write(t, h.root, "Client A/invoice.pdf", "%PDF")
	h.waitFor("Client A/invoice.pdf")
}

func TestWatchBurstReportedOnce(t *testing.T) {
	t.Parallel()
	// A long Settle, so that only a stall of seconds between two writes could split
	// the burst; the exact coalescing is TestAggregator's.
	h := start(t, Options{Settle: 2 * time.Second}, "Client A/")
	f, err := os.Create(h.path("Client A/ledger.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if _, err := fmt.Fprintf(f, "%d,entry\n", i); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	h.waitFor("Client A/ledger.csv")
	h.quiet(3 * time.Second)
	if n := h.seen[filepath.FromSlash("Client A/ledger.csv")]; n != 1 {
		t.Errorf("reported in %d batches, want 1", n)
	}
}

func TestWatchNestedMkdir(t *testing.T) {
	t.Parallel()
	h := start(t, fast)
	// Several trees, so that the file sometimes lands before the watch and sometimes after.
	var want []string
	for i := range 5 {
		top := fmt.Sprintf("Client %d", i)
		mkdir(t, h.root, top+"/2025/Q1/receipts")
		write(t, h.root, top+"/2025/Q1/receipts/r.pdf", "x")
		want = append(want, top, top+"/2025/Q1/receipts/r.pdf")
	}
	h.waitFor(want...)
	// The deepest directory is watched: a later file there is evented.
	write(t, h.root, "Client 3/2025/Q1/receipts/later.pdf", "x")
	h.waitFor("Client 3/2025/Q1/receipts/later.pdf")
}

func TestWatchRenameFile(t *testing.T) {
	t.Parallel()
	h := start(t, fast, "old name.pdf", "Client A/")
	rename(t, h, "old name.pdf", "Client A/new name.pdf")
	h.waitFor("old name.pdf", "Client A/new name.pdf")
}

func TestWatchRenameDirectory(t *testing.T) {
	t.Parallel()
	h := start(t, fast, "Client B/2025/x.pdf", "Client B2/y.pdf")
	rename(t, h, "Client B", "Client C")
	// The new name comes with what is in it: nothing is evented for those files.
	h.waitFor("Client B", "Client C", "Client C/2025/x.pdf")
	// Watches follow the new name, and the sibling with a similar name keeps its own.
	write(t, h.root, "Client C/2025/z.pdf", "x")
	write(t, h.root, "Client B2/w.pdf", "x")
	h.waitFor("Client C/2025/z.pdf", "Client B2/w.pdf")
}

func TestWatchDelete(t *testing.T) {
	t.Parallel()
	h := start(t, fast, "a.pdf", "Old/2024/x.pdf", "Old/2023/")
	if err := os.Remove(h.path("a.pdf")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(h.path("Old")); err != nil {
		t.Fatal(err)
	}
	h.waitFor("a.pdf", "Old")
	// A new folder of the same name is watched afresh.
	write(t, h.root, "Old/again.pdf", "x")
	h.waitFor("Old", "Old/again.pdf")
}

func TestWatchMoveDirectoryAway(t *testing.T) {
	t.Parallel()
	h := start(t, fast, "Client D/2025/x.pdf")
	away := filepath.Join(t.TempDir(), "archived")
	if err := os.Rename(h.path("Client D"), away); err != nil {
		t.Fatal(err)
	}
	h.waitFor("Client D")
	// Changes in the moved folder are no longer ours.
	write(t, away, "2025/after.pdf", "x")
	write(t, h.root, "sentinel.pdf", "x")
	h.waitFor("sentinel.pdf")
	h.quiet(200 * time.Millisecond)
	for p := range h.seen {
		if strings.Contains(p, "after.pdf") {
			t.Errorf("reported a change outside the root: %q", p)
		}
	}
}

func TestWatchManyFiles(t *testing.T) {
	t.Parallel()
	h := start(t, fast, "Drop/")
	var want []string
	for i := range 200 {
		rel := fmt.Sprintf("Drop/scan %03d.pdf", i)
		write(t, h.root, rel, "x")
		want = append(want, rel)
	}
	h.waitFor(want...)
}

func TestWatchOfficeSaveAndIgnoredNames(t *testing.T) {
	t.Parallel()
	h := start(t, fast, "Client A/2025/report.docx")
	dir := "Client A/2025/"
	// Word's save: owner file, new content into a temp, the original moved aside, the
	// temp moved in, the original deleted; the owner file goes when the document closes.
	write(t, h.root, dir+"~$port.docx", "owner")
	write(t, h.root, dir+"~WRL0001.tmp", "new content")
	rename(t, h, dir+"report.docx", dir+"~WRL0002.tmp")
	rename(t, h, dir+"~WRL0001.tmp", dir+"report.docx")
	if err := os.Remove(h.path(dir + "~WRL0002.tmp")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(h.path(dir + "~$port.docx")); err != nil {
		t.Fatal(err)
	}
	// System files at other depths.
	write(t, h.root, ".DS_Store", "x")
	write(t, h.root, "Client A/Thumbs.db", "x")
	write(t, h.root, "Client A/2025/Q1/desktop.ini", "x")
	write(t, h.root, "Client A/.portico-download", "x")
	h.waitFor(dir+"report.docx", "Client A/2025/Q1")
	// Anything still to come from the save arrives before a file written afterwards.
	write(t, h.root, "sentinel.pdf", "x")
	h.waitFor("sentinel.pdf")
	h.quiet(200 * time.Millisecond)
	for p := range h.seen {
		if !slices.Contains([]string{"sentinel.pdf", dir + "report.docx", "Client A/2025/Q1"}, filepath.ToSlash(p)) {
			t.Errorf("unexpected path %q", p)
		}
	}
	// receive checked that no ignored name was reported.
}

func TestRunStopsAndLeavesOutOpen(t *testing.T) {
	t.Parallel()
	w, err := New(t.TempDir(), fast)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan Batch, 1)
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx, out) }()
	select {
	case b := <-out:
		if !b.Rescan {
			t.Fatalf("first batch %+v", b)
		}
	case <-time.After(patience):
		t.Fatal("no start-up rescan")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after cancel: %v", err)
		}
	case <-time.After(patience):
		t.Fatal("Run did not return after cancel")
	}
	out <- Batch{} // panics if Run closed it
}

func TestRunRootRemoved(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "Library")
	write(t, root, "Client A/a.pdf", "x")
	w, err := New(root, fast)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan Batch, 100)
	done := make(chan error, 1)
	go func() { done <- w.Run(context.Background(), out) }()
	select {
	case <-out: // watching
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(patience):
		t.Fatal("no start-up rescan")
	}
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	for {
		select {
		case <-out: // the removals, if the consumer had time
		case err := <-done:
			if err == nil {
				t.Fatal("Run returned nil after the root was removed")
			}
			return
		case <-time.After(patience):
			t.Fatal("Run still running after the root was removed")
		}
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "file.pdf", "x")
	for _, root := range []string{filepath.Join(dir, "missing"), filepath.Join(dir, "file.pdf")} {
		if _, err := New(root, Options{}); err == nil {
			t.Errorf("New(%q) succeeded", root)
		}
	}
	if _, err := New(filepath.Join(dir, "missing"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing root: %v, want one that wraps os.ErrNotExist", err)
	}
}

// TestLoop drives the select loop with synthetic fsnotify events and errors, for what a
// real file system will not do on demand: an overflow, events the loop must drop.
func TestLoop(t *testing.T) {
	root := t.TempDir()
	var mu sync.Mutex
	var removed []string
	s := &session{
		root: root,
		add:  func(string) error { return nil },
		remove: func(p string) error {
			mu.Lock()
			defer mu.Unlock()
			removed = append(removed, p)
			return nil
		},
		agg:  NewAggregator(Options{Settle: 10 * time.Millisecond}),
		dirs: map[string]bool{"dir": true, filepath.Join("dir", "sub"): true, "dir2": true},
	}
	events, errs, out := make(chan fsnotify.Event), make(chan error), make(chan Batch)
	done := make(chan error, 1)
	go func() { done <- s.loop(context.Background(), events, errs, out) }()
	receive := func() Batch {
		t.Helper()
		select {
		case b := <-out:
			return b
		case err := <-done:
			t.Fatalf("loop returned: %v", err)
		case <-time.After(patience):
			t.Fatal("no batch")
		}
		return Batch{}
	}
	ev := func(rel string, op fsnotify.Op) fsnotify.Event {
		return fsnotify.Event{Name: filepath.Join(root, rel), Op: op}
	}

	if b := receive(); !reflect.DeepEqual(b, Batch{Rescan: true}) {
		t.Fatalf("first batch %+v, want the start-up rescan", b)
	}

	// A Write on a directory and a bare Chmod are dropped; they come before b.pdf, so
	// they would be due before it or with it.
	events <- ev("dir2", fsnotify.Write)
	events <- ev("a.pdf", fsnotify.Chmod)
	events <- ev("b.pdf", fsnotify.Write)
	if b := receive(); !reflect.DeepEqual(b, paths("b.pdf")) {
		t.Errorf("got %+v, want b.pdf only", b)
	}

	// A directory renamed away takes its watches and its children's, not its sibling's.
	events <- ev("dir", fsnotify.Rename)
	if b := receive(); !reflect.DeepEqual(b, paths("dir")) {
		t.Errorf("got %+v, want dir", b)
	}

	errs <- fsnotify.ErrEventOverflow
	if b := receive(); !reflect.DeepEqual(b, Batch{Rescan: true}) {
		t.Errorf("after an overflow got %+v, want a rescan", b)
	}

	events <- fsnotify.Event{Name: root, Op: fsnotify.Remove}
	select {
	case err := <-done:
		if err == nil {
			t.Error("loop returned nil after the root was removed")
		}
	case <-time.After(patience):
		t.Fatal("loop still running after the root was removed")
	}

	mu.Lock()
	defer mu.Unlock()
	slices.Sort(removed)
	if want := []string{filepath.Join(root, "dir"), filepath.Join(root, "dir", "sub")}; !reflect.DeepEqual(removed, want) {
		t.Errorf("removed watches %q, want %q", removed, want)
	}
	if !s.dirs["dir2"] || len(s.dirs) != 1 {
		t.Errorf("dirs after the rename: %v", s.dirs)
	}
}
