package watch

import (
	"path/filepath"
	"slices"
	"time"
)

// Batch is what may have changed since the previous batch.
type Batch struct {
	// Paths are files or directories that may have changed, appeared or gone: relative
	// to the root, with the OS separator, sorted and unique. For a directory that is gone,
	// everything that was under it is gone too; a new directory is listed together with
	// everything found in it. Empty when Rescan is set, which covers them.
	Paths []string
	// Rescan means events were lost or not worth keeping (start-up, an overflow, more
	// than MaxPaths at once): re-check everything under the root.
	Rescan bool
}

// Options tune how long the watcher waits before reporting.
type Options struct {
	// Settle: a path is reported only after it has had no event for this long, so that
	// a file being copied or saved is reported once rather than at every write. Default
	// 100ms: a save or a move is over within it, and whether a file is whole before it is
	// sent is the transfer's check (files.CopySettle), not this one's.
	Settle time.Duration
	// MaxDelay: a path that keeps changing (a log, a long copy) is still reported after
	// this long from its first event. Default 10s; never shorter than Settle.
	MaxDelay time.Duration
	// MaxPaths: with more paths than this waiting, the detail costs more than it saves,
	// and a rescan is reported instead. Default 10000.
	MaxPaths int
}

// withDefaults fills in the zero values.
func (o Options) withDefaults() Options {
	if o.Settle <= 0 {
		o.Settle = 100 * time.Millisecond
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 10 * time.Second
	}
	if o.MaxDelay < o.Settle {
		o.MaxDelay = o.Settle
	}
	if o.MaxPaths <= 0 {
		o.MaxPaths = 10000
	}
	return o
}

// pending is the events for one path (or the rescan) since it was last reported.
type pending struct {
	first time.Time // the first event: bounds the wait by MaxDelay
	last  time.Time // the latest event: the path settles Settle after it
}

func (p pending) due(o Options) time.Time {
	settled := p.last.Add(o.Settle)
	if limit := p.first.Add(o.MaxDelay); limit.Before(settled) {
		return limit
	}
	return settled
}

// Aggregator turns raw events into batches. It has no clock and no goroutines of its
// own: every call is told the time, so tests can drive it with a fake clock. It is not
// safe for concurrent use.
type Aggregator struct {
	opts   Options
	paths  map[string]pending
	rescan *pending // non-nil while a rescan is waiting; paths is then empty
}

// NewAggregator returns an empty Aggregator; zero options take their defaults.
func NewAggregator(opts Options) *Aggregator {
	return &Aggregator{opts: opts.withDefaults(), paths: make(map[string]pending)}
}

// Add records one raw event for relPath, a path relative to the root. Ignored names and
// the root itself are dropped.
func (a *Aggregator) Add(now time.Time, relPath string) {
	rel := filepath.Clean(relPath)
	if relPath == "" || rel == "." || Ignored(filepath.Base(rel)) {
		return
	}
	if a.rescan != nil {
		// The rescan will look at this path anyway; the event only says that things are
		// still moving, so let the rescan wait for them to settle too.
		a.rescan.last = now
		return
	}
	p, ok := a.paths[rel]
	if !ok {
		if len(a.paths) >= a.opts.MaxPaths {
			a.Overflow(now)
			return
		}
		p.first = now
	}
	p.last = now
	a.paths[rel] = p
}

// Overflow records that events were lost: the next batch is a rescan, and the paths
// waiting are dropped into it. The rescan settles like a path, so a storm of overflows
// gives one rescan once it is over (or MaxDelay after the first waiting event).
func (a *Aggregator) Overflow(now time.Time) {
	if a.rescan != nil {
		a.rescan.last = now
		return
	}
	r := pending{first: now, last: now}
	for _, p := range a.paths {
		// Keep the oldest event's promise: it is reported within MaxDelay, as a rescan.
		if p.first.Before(r.first) {
			r.first = p.first
		}
	}
	clear(a.paths)
	a.rescan = &r
}

// Due returns what is ready to report at now, and forgets it: the rescan, or else every
// path that has settled or waited MaxDelay. It reports false when nothing is ready.
func (a *Aggregator) Due(now time.Time) (Batch, bool) {
	if a.rescan != nil {
		if now.Before(a.rescan.due(a.opts)) {
			return Batch{}, false
		}
		a.rescan = nil
		return Batch{Rescan: true}, true
	}
	var paths []string
	for rel, p := range a.paths {
		if !now.Before(p.due(a.opts)) {
			paths = append(paths, rel)
			delete(a.paths, rel)
		}
	}
	if len(paths) == 0 {
		return Batch{}, false
	}
	slices.Sort(paths)
	return Batch{Paths: paths}, true
}

// Next reports when the next path (or the rescan) becomes due, for a timer; false when
// nothing is waiting. Add and Overflow never make this earlier than it was (a new event
// is due a full Settle after now, later than anything already waiting), so a timer set
// from Next need only be reset after it fires or when nothing was waiting.
func (a *Aggregator) Next() (time.Time, bool) {
	if a.rescan != nil {
		return a.rescan.due(a.opts), true
	}
	var next time.Time
	for _, p := range a.paths {
		if d := p.due(a.opts); next.IsZero() || d.Before(next) {
			next = d
		}
	}
	return next, !next.IsZero()
}

// undelivered is a batch the consumer has not taken yet, with the set of its paths, so that
// adding to it costs what is added: while the consumer is busy (a burst of 30,000 client
// folders being made) batches keep coming due, and re-sorting all that waits at each cost
// seconds. Its paths are in the order they came due; the consumer orders them.
type undelivered struct {
	Batch
	has map[string]bool
}

// add adds b: a rescan absorbs any paths.
func (u *undelivered) add(b Batch) {
	switch {
	case u.Rescan:
	case b.Rescan:
		*u = undelivered{Batch: Batch{Rescan: true}}
	default:
		if u.has == nil {
			u.has = make(map[string]bool, len(u.Paths)+len(b.Paths))
			for _, p := range u.Paths {
				u.has[p] = true
			}
		}
		for _, p := range b.Paths {
			if !u.has[p] {
				u.has[p] = true
				u.Paths = append(u.Paths, p)
			}
		}
	}
}
