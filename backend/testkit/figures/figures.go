// Package figures prints make bench's end-to-end figures: a `BENCH name value unit` line
// whose value is the median of several runs, followed by the runs' spread, so that a figure
// read once is not mistaken for the machine's speed. Benchmarks run only under make bench
// (PORTICO_BENCH set); Runs says how many times each measures.
package figures

import (
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Bench skips t unless make bench runs it.
func Bench(t testing.TB) {
	t.Helper()
	if os.Getenv("PORTICO_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it")
	}
}

// Runs is how many times an end-to-end figure is measured: PORTICO_BENCH_RUNS, else 3.
func Runs() int {
	if n, err := strconv.Atoi(os.Getenv("PORTICO_BENCH_RUNS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// Figure is one named measure over several runs.
type Figure struct {
	Name, Unit string
	Runs       []float64
}

// Add records one run's value.
func (f *Figure) Add(v float64) { f.Runs = append(f.Runs, v) }

// Median of the runs; NaN before the first.
func (f *Figure) Median() float64 {
	if len(f.Runs) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(f.Runs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

// Line is the figure as make bench prints it: BENCH name median unit, then the spread.
func (f *Figure) Line() string {
	if len(f.Runs) == 0 {
		return fmt.Sprintf("BENCH %s - %s (no run)", f.Name, f.Unit)
	}
	runs := make([]string, len(f.Runs))
	for i, v := range f.Runs {
		runs[i] = format(v)
	}
	return fmt.Sprintf("BENCH %s %s %s (median of %d: %s)", f.Name, format(f.Median()), f.Unit, len(f.Runs), strings.Join(runs, " "))
}

// Print writes the figure's line to stdout, where make bench greps it.
func (f *Figure) Print() { f.Fprint(os.Stdout) }

// Fprint writes the figure's line to w.
func (f *Figure) Fprint(w io.Writer) { fmt.Fprintln(w, f.Line()) }

// Ms is d in milliseconds, the unit most figures are in.
func Ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Percentile of ds (q in [0, 1]), nearest rank; ds is not changed.
func Percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// format keeps three significant digits: 0.123, 12.3, 1234.
func format(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'f', 3, 64)
	}
}
