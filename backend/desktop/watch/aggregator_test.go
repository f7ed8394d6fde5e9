package watch

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// step is something that happens at a moment after the start of a simulation.
type step struct {
	at       time.Duration
	add      []string // slash-separated paths, one event each
	overflow bool
}

// timed is a batch and when it became due.
type timed struct {
	at    time.Duration
	batch Batch
}

// simulate plays steps through an Aggregator with a perfect timer: before each step it
// takes every batch due by then, at the moment Next says, and after the last it drains.
func simulate(t *testing.T, opts Options, steps []step) []timed {
	t.Helper()
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	a := NewAggregator(opts)
	var got []timed
	drain := func(until time.Time) {
		for {
			next, ok := a.Next()
			if !ok || next.After(until) {
				return
			}
			// Nothing is reported a moment early.
			if b, ok := a.Due(next.Add(-time.Nanosecond)); ok {
				t.Fatalf("at %v, just before Next: got %+v", next.Sub(start), b)
			}
			b, ok := a.Due(next)
			if !ok {
				t.Fatalf("at %v (Next): nothing due", next.Sub(start))
			}
			got = append(got, timed{next.Sub(start), b})
		}
	}
	for _, s := range steps {
		now := start.Add(s.at)
		drain(now)
		for _, p := range s.add {
			a.Add(now, filepath.FromSlash(p))
		}
		if s.overflow {
			a.Overflow(now)
		}
	}
	drain(start.Add(24 * time.Hour))
	if next, ok := a.Next(); ok {
		t.Fatalf("still waiting after a day: %v", next.Sub(start))
	}
	return got
}

// paths is a batch of slash-separated paths.
func paths(ps ...string) Batch {
	b := Batch{}
	for _, p := range ps {
		b.Paths = append(b.Paths, filepath.FromSlash(p))
	}
	return b
}

// every returns steps adding path every interval from from (inclusive) to to (exclusive).
func every(path string, from, to, interval time.Duration) []step {
	var steps []step
	for at := from; at < to; at += interval {
		steps = append(steps, step{at: at, add: []string{path}})
	}
	return steps
}

const ms = time.Millisecond

func TestAggregator(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		steps []step
		want  []timed
	}{
		{
			name:  "burst of 100 writes coalesces into one path, once it settles",
			steps: every("Client A/ledger.xlsx", 0, 200*ms, 2*ms), // last write at 198ms
			want:  []timed{{498 * ms, paths("Client A/ledger.xlsx")}},
		},
		{
			name: "paths settle one by one",
			steps: []step{
				{at: 0, add: []string{"a.pdf"}},
				{at: 200 * ms, add: []string{"b.pdf"}},
			},
			want: []timed{
				{300 * ms, paths("a.pdf")},
				{500 * ms, paths("b.pdf")},
			},
		},
		{
			name: "paths settling together leave together, sorted",
			steps: []step{
				{at: 0, add: []string{"b.pdf", "a.pdf", "Client A/c.pdf"}},
				{at: 10 * ms, add: []string{"b.pdf"}},
			},
			want: []timed{
				{300 * ms, paths("Client A/c.pdf", "a.pdf")},
				{310 * ms, paths("b.pdf")},
			},
		},
		{
			// Word: owner file, write to a temp, move the original aside, move the temp
			// in, delete the old one and the owner file.
			name: "Word save reports the document only, once",
			steps: []step{
				{at: 0, add: []string{"Client A/2025/~$port.docx"}},
				{at: 5 * ms, add: []string{"Client A/2025/~WRL0001.tmp"}},
				{at: 10 * ms, add: []string{"Client A/2025/~WRL0001.tmp"}},
				{at: 20 * ms, add: []string{"Client A/2025/report.docx", "Client A/2025/~WRL0002.tmp"}},
				{at: 25 * ms, add: []string{"Client A/2025/~WRL0001.tmp", "Client A/2025/report.docx"}},
				{at: 30 * ms, add: []string{"Client A/2025/~WRL0002.tmp"}},
				{at: 900 * ms, add: []string{"Client A/2025/~$port.docx"}}, // closed later
			},
			want: []timed{{325 * ms, paths("Client A/2025/report.docx")}},
		},
		{
			name: "LibreOffice save reports the document only",
			steps: []step{
				{at: 0, add: []string{"B/.~lock.notes.odt#"}},
				{at: 10 * ms, add: []string{"B/lu12345abc.tmp"}},
				{at: 20 * ms, add: []string{"B/lu12345abc.tmp", "B/notes.odt"}},
				{at: 30 * ms, add: []string{"B/.~lock.notes.odt#"}},
			},
			want: []timed{{320 * ms, paths("B/notes.odt")}},
		},
		{
			name:  "a rename reports the old and the new path",
			steps: []step{{at: 0, add: []string{"old name.pdf", "Client B/new name.pdf"}}},
			want:  []timed{{300 * ms, paths("Client B/new name.pdf", "old name.pdf")}},
		},
		{
			name: "a delete is reported like any change",
			steps: []step{
				{at: 0, add: []string{"gone.pdf"}},
				{at: 1 * time.Second, add: []string{"gone.pdf"}},
			},
			want: []timed{
				{300 * ms, paths("gone.pdf")},
				{1300 * ms, paths("gone.pdf")},
			},
		},
		{
			name:  "a path that never settles is reported after MaxDelay, then again",
			steps: every("growing.log", 0, 15*time.Second, 100*ms), // last at 14.9s
			want: []timed{
				{10 * time.Second, paths("growing.log")},
				{15200 * ms, paths("growing.log")},
			},
		},
		{
			name:  "MaxDelay and Settle are options",
			opts:  Options{Settle: 50 * ms, MaxDelay: 1 * time.Second},
			steps: every("x.pdf", 0, 1500*ms, 10*ms),
			want: []timed{
				{1 * time.Second, paths("x.pdf")},
				{1540 * ms, paths("x.pdf")},
			},
		},
		{
			name: "overflow drops waiting paths into a rescan",
			steps: []step{
				{at: 0, add: []string{"a.pdf", "b.pdf"}},
				{at: 100 * ms, overflow: true},
				{at: 1 * time.Second, add: []string{"c.pdf"}},
			},
			want: []timed{
				{400 * ms, Batch{Rescan: true}},
				{1300 * ms, paths("c.pdf")},
			},
		},
		{
			name: "overflows and events during a rescan make it wait to settle",
			steps: []step{
				{at: 0, overflow: true},
				{at: 200 * ms, overflow: true},
				{at: 400 * ms, add: []string{"a.pdf"}},
			},
			want: []timed{{700 * ms, Batch{Rescan: true}}},
		},
		{
			name: "a rescan still comes within MaxDelay of the oldest lost event",
			steps: append(
				[]step{{at: 0, add: []string{"first.pdf"}}, {at: 200 * ms, overflow: true}},
				every("busy.log", 300*ms, 12*time.Second, 100*ms)...),
			want: []timed{
				{10 * time.Second, Batch{Rescan: true}},
				{12200 * ms, paths("busy.log")},
			},
		},
		{
			name: "too many paths become a rescan",
			opts: Options{MaxPaths: 3},
			steps: []step{
				{at: 0, add: []string{"1", "2", "3"}},
				{at: 10 * ms, add: []string{"3"}}, // known: no overflow
				{at: 20 * ms, add: []string{"4"}},
			},
			want: []timed{{320 * ms, Batch{Rescan: true}}},
		},
		{
			name: "ignored names never appear, at any depth",
			steps: []step{{at: 0, add: []string{
				"~$a.docx", "Client A/.DS_Store", "Client A/2025/Q1/Thumbs.db", "x/desktop.ini",
				"x/~WRL0001.tmp", "x/.~lock.a.odt#", "x/y/a.pdf.part", ".portico-1", "kept.pdf",
			}}},
			want: []timed{{300 * ms, paths("kept.pdf")}},
		},
		{
			name:  "the root itself and empty paths are dropped",
			steps: []step{{at: 0, add: []string{".", "", "./"}}},
		},
		{
			name:  "paths are cleaned so one file is one path",
			steps: []step{{at: 0, add: []string{"a//b.pdf", "a/./b.pdf", "./a/b.pdf", "a/b.pdf"}}},
			want:  []timed{{300 * ms, paths("a/b.pdf")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts.Settle == 0 {
				tt.opts.Settle = 300 * ms // the scenarios' times are written for it
			}
			got := simulate(t, tt.opts, tt.steps)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %s\nwant %s", show(got), show(tt.want))
			}
		})
	}
}

func show(ts []timed) string {
	s := ""
	for _, t := range ts {
		s += fmt.Sprintf("\n  %v %+v", t.at, t.batch)
	}
	return s
}

func TestAggregatorDueRemoves(t *testing.T) {
	now := time.Now()
	a := NewAggregator(Options{})
	if _, ok := a.Due(now); ok {
		t.Fatal("empty aggregator has something due")
	}
	if _, ok := a.Next(); ok {
		t.Fatal("empty aggregator has a next")
	}
	a.Add(now, "a.pdf")
	if _, ok := a.Due(now.Add(99 * ms)); ok {
		t.Fatal("due before it settled")
	}
	if b, ok := a.Due(now.Add(time.Hour)); !ok || !reflect.DeepEqual(b, paths("a.pdf")) {
		t.Fatalf("Due = %+v, %v", b, ok)
	}
	if b, ok := a.Due(now.Add(2 * time.Hour)); ok {
		t.Fatalf("reported twice: %+v", b)
	}
}

func TestOptionsDefaults(t *testing.T) {
	got := Options{MaxDelay: time.Millisecond}.withDefaults()
	want := Options{Settle: 100 * ms, MaxDelay: 100 * ms, MaxPaths: 10000}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := (Options{}).withDefaults(); got.MaxDelay != 10*time.Second {
		t.Errorf("default MaxDelay = %v", got.MaxDelay)
	}
}

func TestUndeliveredAdd(t *testing.T) {
	tests := []struct {
		name string
		adds []Batch
		want Batch
	}{
		{"paths in the order they came due", []Batch{paths("b", "a")}, paths("b", "a")},
		{"each path once", []Batch{paths("a", "c"), paths("b", "c"), paths("a")}, paths("a", "c", "b")},
		{"a rescan absorbs later paths", []Batch{{Rescan: true}, paths("a")}, Batch{Rescan: true}},
		{"a rescan absorbs earlier paths", []Batch{paths("a"), {Rescan: true}, paths("b")}, Batch{Rescan: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var u undelivered
			for _, b := range tt.adds {
				u.add(b)
			}
			if !reflect.DeepEqual(u.Batch, tt.want) {
				t.Errorf("got %+v, want %+v", u.Batch, tt.want)
			}
		})
	}
}
