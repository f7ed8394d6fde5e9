package seal_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sealapi "portico/backend/api"
	"portico/backend/seal"
	"portico/backend/testkit/figures"
	"portico/backend/testkit/pdfbaseline"
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

// baselineStamps are values as pdfbaseline draws them: the same boxes, in points from the
// lower left of a letter page.
func baselineStamps(values []seal.Value) []pdfbaseline.Stamp {
	var out []pdfbaseline.Stamp
	for _, v := range values {
		st := pdfbaseline.Stamp{Page: v.Box.Page, X: 612 * v.Box.X, Y: 792 * (1 - v.Box.Y - v.Box.H)}
		if v.Image != nil {
			st.Image, st.Scale = v.Image, 612*v.Box.W/400 // the drawn signature is 400 px wide
		} else {
			st.Text, st.Font = v.Text, "DejaVuSans" // installed into pdfcpu by the first seal
		}
		out = append(out, st)
	}
	return out
}

// TestBenchSeal is a figure for make bench: sealing a 100-page document with 3 signers × 3
// fields (a drawn signature, typed initials, a date), from having the values to the sealed
// PDF on disk; beside pdfbaseline, the same drawing and a signature done with pdfcpu and
// pdfsign directly, in turns.
func TestBenchSeal(t *testing.T) {
	figures.Bench(t)
	doc := benchDoc()
	dir := t.TempDir()
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
	fc := firm(t)
	stamps := baselineStamps(values)
	if err := pdfbaseline.Seal(doc, stamps, fc.cert, fc.key, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}

	ours := figures.Figure{Name: "seal_render_100p_ms", Unit: "ms"}
	base := figures.Figure{Name: "seal_render_100p_baseline_ms", Unit: "ms"}
	ratio := figures.Figure{Name: "seal_render_100p_ratio", Unit: "(seal/baseline)"}
	for i := range 2 * figures.Runs() {
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
		took := time.Since(start)
		ours.Add(figures.Ms(took))

		start = time.Now()
		bf, err := os.Create(filepath.Join(dir, fmt.Sprintf("baseline%d.pdf", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := pdfbaseline.Seal(doc, stamps, fc.cert, fc.key, bf); err != nil {
			t.Fatal(err)
		}
		if err := bf.Close(); err != nil {
			t.Fatal(err)
		}
		b := time.Since(start)
		base.Add(figures.Ms(b))
		ratio.Add(float64(took) / float64(b))
	}
	checkSealed(t, filepath.Join(dir, "sealed0.pdf"))
	ours.Print()
	base.Print()
	ratio.Print()
}
