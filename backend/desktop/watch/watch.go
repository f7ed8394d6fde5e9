// Package watch turns file-system notifications under the firm library into a calm
// stream of batches: "these relative paths may have changed, re-check them", or "events
// were lost, re-check everything". It does not say what happened to a path; the consumer
// stats and hashes it and compares with its database, which is the only reliable way
// across editors' save dances and the platforms' different event orders.
package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher watches every directory under a root.
type Watcher struct {
	root string // absolute, symlinks resolved: fsnotify names events by the path it watches
	opts Options
}

// New returns a Watcher for the directory root. Nothing is watched until Run.
func New(root string, opts Options) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	// Resolve a symlinked root (a redirected Documents folder, macOS's /var): WalkDir
	// would not descend into a link, and events arrive under the real path.
	abs, err = filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a directory", abs)
	}
	return &Watcher{root: abs, opts: opts.withDefaults()}, nil
}

// Run watches until ctx ends, sending batches to out. The first batch is a rescan, sent
// once every directory is watched, so a scan started on receiving it misses nothing.
// While the consumer is busy, batches merge into one rather than holding up events.
//
// Run returns nil when ctx ends, and an error when watching cannot go on: a directory
// that cannot be watched (permissions, the system's watch limit) or the root removed.
// It closes nothing it was given; every call starts afresh.
func (w *Watcher) Run(ctx context.Context, out chan<- Batch) error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	defer fw.Close()
	s := &session{
		root:   w.root,
		add:    fw.Add,
		remove: fw.Remove,
		agg:    NewAggregator(w.opts),
		dirs:   make(map[string]bool),
	}
	if err := s.watchTree(time.Time{}, ".", false); err != nil {
		return err
	}
	return s.loop(ctx, fw.Events, fw.Errors, out)
}

// session is one Run: the watches it holds and the events waiting to be reported.
// add and remove are fsnotify's, or a test's.
type session struct {
	root        string
	add, remove func(path string) error
	agg         *Aggregator
	dirs        map[string]bool // watched directories, relative to root
}

func (s *session) loop(ctx context.Context, events <-chan fsnotify.Event, errs <-chan error, out chan<- Batch) error {
	// Wait a little past the earliest due time so that paths settling at about the same
	// moment (a folder of files copied in) leave in one batch rather than many.
	grace := s.agg.opts.Settle / 10
	timer := time.NewTimer(time.Hour)
	timer.Stop() // armed only while something waits
	defer timer.Stop()
	armed := false

	ready, waiting := undelivered{Batch: Batch{Rescan: true}}, true
	for {
		var send chan<- Batch // nil, so never chosen, while there is nothing to send
		if waiting {
			send = out
		}
		var fire <-chan time.Time
		if armed {
			fire = timer.C
		}
		select {
		case <-ctx.Done():
			return nil
		case send <- ready.Batch:
			ready, waiting = undelivered{}, false
		case ev, ok := <-events:
			if !ok {
				return errors.New("watch: fsnotify closed its events")
			}
			if err := s.event(time.Now(), ev); err != nil {
				return err
			}
		case _, ok := <-errs:
			if !ok {
				return errors.New("watch: fsnotify closed its errors")
			}
			// fsnotify.ErrEventOverflow, or one of the few other errors it reports, after
			// each of which events may be missing (a short read, a buffer it could not
			// parse): either way the remedy is to look at everything.
			s.agg.Overflow(time.Now())
		case <-fire:
			armed = false
			if b, ok := s.agg.Due(time.Now()); ok {
				ready.add(b)
				waiting = true
			}
		}
		// Events never bring the next due time forward (see Aggregator.Next), so an
		// armed timer stays right until it fires.
		if !armed {
			if next, ok := s.agg.Next(); ok {
				timer.Reset(time.Until(next) + grace)
				armed = true
			}
		}
	}
}

// event records one fsnotify event and keeps the watches in step with the directories.
func (s *session) event(now time.Time, ev fsnotify.Event) error {
	rel, err := filepath.Rel(s.root, ev.Name)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil // not ours; fsnotify names events under the paths we watch
	}
	if rel == "." {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			// Nothing is left to watch, and a new folder at the same path would not be seen.
			return fmt.Errorf("watch: %s was removed or renamed", s.root)
		}
		return nil
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if s.dirs[rel] {
			s.unwatchTree(rel)
		}
		s.agg.Add(now, rel)
	}
	if ev.Has(fsnotify.Create) {
		s.agg.Add(now, rel)
		fi, err := os.Lstat(filepath.Join(s.root, rel))
		if err == nil && fi.IsDir() {
			// Files may have landed in it, and folders under it, before its watch was in
			// place: watch it all and report all that is there.
			if err := s.watchTree(now, rel, true); err != nil {
				return err
			}
		}
		// Gone already, or not a directory: the reported path is enough.
	}
	// A Write on a directory (Windows, kqueue) says its entries changed, which their own
	// events report; reporting the directory would make the consumer rescan all of it.
	// Chmod alone is left out: indexers and virus scanners send it all the time, and a
	// change of content or existence always comes with one of the other events.
	if ev.Has(fsnotify.Write) && !s.dirs[rel] {
		s.agg.Add(now, rel)
	}
	return nil
}

// watchTree watches dir (relative to root) and every directory under it. With report,
// it also reports everything it finds, for a new directory whose contents arrived
// before its watch.
func (s *session) watchTree(now time.Time, dir string, report bool) error {
	top := filepath.Join(s.root, dir)
	walk := func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // gone while we looked: its removal is reported by its parent
			}
			return fmt.Errorf("watch: %w", err)
		}
		rel, err := filepath.Rel(s.root, path)
		if err != nil {
			return fmt.Errorf("watch: %w", err)
		}
		if report {
			s.agg.Add(now, rel)
		}
		if !d.IsDir() {
			return nil
		}
		// The watch goes on before WalkDir reads the directory, so an entry made from
		// now on is either listed here or evented; none falls between.
		if err := s.add(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			if errors.Is(err, syscall.ENOSPC) {
				return fmt.Errorf("watch: %s: too many watches (raise fs.inotify.max_user_watches): %w", path, err)
			}
			return fmt.Errorf("watch: %s: %w", path, err)
		}
		s.dirs[rel] = true
		return nil
	}
	return filepath.WalkDir(top, walk)
}

// unwatchTree forgets dir and the directories under it. A removed directory's watches
// are gone already; a directory moved away still has them, under paths that no longer
// exist here, and a directory moved within the root gets new ones when its Create arrives.
func (s *session) unwatchTree(dir string) {
	prefix := dir + string(filepath.Separator)
	for d := range s.dirs {
		if d == dir || strings.HasPrefix(d, prefix) {
			// Best effort: the watch may be gone with its directory, which is the point.
			_ = s.remove(filepath.Join(s.root, d))
			delete(s.dirs, d)
		}
	}
}
