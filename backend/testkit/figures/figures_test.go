package figures

import (
	"testing"
	"time"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name string
		runs []float64
		want string
	}{
		{"none", nil, "BENCH x - ms (no run)"},
		{"one", []float64{12.34}, "BENCH x 12.3 ms (median of 1: 12.3)"},
		{"odd takes the middle", []float64{3, 1, 2}, "BENCH x 2.00 ms (median of 3: 3.00 1.00 2.00)"},
		{"even averages the two middle", []float64{1, 4, 2, 3}, "BENCH x 2.50 ms (median of 4: 1.00 4.00 2.00 3.00)"},
		{"large and small", []float64{1234.6, 0.01234}, "BENCH x 617 ms (median of 2: 1235 0.012)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Figure{Name: "x", Unit: "ms", Runs: tt.runs}
			if got := f.Line(); got != tt.want {
				t.Errorf("Line() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(100-i) * time.Millisecond // 100 ms down to 1 ms
	}
	tests := []struct {
		q    float64
		want time.Duration
	}{
		{0, time.Millisecond},
		{0.5, 50 * time.Millisecond},
		{0.95, 95 * time.Millisecond},
		{0.99, 99 * time.Millisecond},
		{1, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := Percentile(ds, tt.q); got != tt.want {
			t.Errorf("Percentile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if ds[0] != 100*time.Millisecond {
		t.Error("Percentile sorted its argument")
	}
	if Percentile(nil, 0.5) != 0 {
		t.Error("Percentile of nothing is not 0")
	}
}
