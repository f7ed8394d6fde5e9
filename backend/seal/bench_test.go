package seal_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	sealapi "portico/backend/api"
	"portico/backend/seal"
)

// benchDoc is a 100-page letter-size document with a page of text on each page.
func benchDoc() []byte {
	pages := make([]testPage, 100)
	for i := range pages {
		var b strings.Builder
		b.WriteString("BT /F1 10 Tf 72 740 Td 12 TL\n")
		for l := 0; l < 50; l++ {
			fmt.Fprintf(&b, "(Page %d, line %d: the client engages the firm to prepare federal and state returns.) '\n", i+1, l+1)
		}
		b.WriteString("ET")
		pages[i] = letter()
		pages[i].content = b.String()
	}
	return makePDF(pages)
}

func median(ds []time.Duration) time.Duration {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

// TestBenchSeal is a figure for make bench, not a pass/fail timing: sealing a 100-page
// document with 3 signers × 3 fields (a drawn signature, typed initials, a date), from
// having the values to the sealed PDF on disk; and, for scale, pdfcpu stamping one line
// of text on every page of the same file.
func TestBenchSeal(t *testing.T) {
	if os.Getenv("PORTICO_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it")
	}
	doc := benchDoc()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	sig := blackPNG(t, 400, 100)
	var values []seal.Value
	for s, page := range []int{9, 49, 99} {
		y := 0.6 + 0.1*float64(s)
		values = append(values,
			seal.Value{Box: sealapi.Box{Page: page, X: 0.1, Y: y, W: 0.35, H: 0.07}, Type: sealapi.FieldSignature, Image: sig},
			seal.Value{Box: sealapi.Box{Page: page - 5, X: 0.8, Y: 0.9, W: 0.1, H: 0.04}, Type: sealapi.FieldInitials, Text: "ДШ"},
			seal.Value{Box: sealapi.Box{Page: page, X: 0.6, Y: y, W: 0.3, H: 0.04}, Type: sealapi.FieldDate, Text: "March 1, 2025"},
		)
	}
	trail := sampleTrail(doc)
	s := sealer(t)
	s.Now = nil
	if _, err := s.Seal(context.Background(), bytes.NewReader(doc), values, trail, &bytes.Buffer{}); err != nil {
		t.Fatal(err) // warm up: fonts install once per process
	}

	var sealTimes, baseTimes []time.Duration
	for i := 0; i < 5; i++ {
		out := filepath.Join(dir, fmt.Sprintf("sealed%d.pdf", i))
		start := time.Now()
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Seal(context.Background(), bytes.NewReader(doc), values, trail, f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		sealTimes = append(sealTimes, time.Since(start))

		api.DisableConfigDir()
		conf := model.NewDefaultConfiguration()
		start = time.Now()
		if err := api.AddTextWatermarksFile(in, filepath.Join(dir, fmt.Sprintf("stamped%d.pdf", i)), nil, true,
			"Signed by Maria Lopez", "font:Helvetica, points:12, pos:bl, off:72 36, scale:1 abs, rot:0", conf); err != nil {
			t.Fatal(err)
		}
		baseTimes = append(baseTimes, time.Since(start))
	}
	checkSealed(t, filepath.Join(dir, "sealed4.pdf"))
	fmt.Printf("BENCH seal_render_100p_ms %d ms\n", median(sealTimes).Milliseconds())
	fmt.Printf("BENCH seal_render_100p_baseline_ms %d ms\n", median(baseTimes).Milliseconds())
}
