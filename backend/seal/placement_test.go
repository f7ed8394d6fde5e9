package seal_test

import (
	"bytes"
	"math"
	"testing"

	"portico/backend/api"
	"portico/backend/seal"
)

// TestValuesLandWhereTheFirmPlacedThem seals a signature into a known box on pages
// turned every way and cropped off the origin, renders the sealed page as a viewer shows
// it, and finds the ink: it must fill the box and be nowhere else.
func TestValuesLandWhereTheFirmPlacedThem(t *testing.T) {
	crop := [4]float64{50, 100, 350, 500}
	offMedia := [4]float64{100, 200, 712, 992}
	box := api.Box{X: 0.2, Y: 0.3, W: 0.35, H: 0.12}
	tests := []struct {
		name string
		page testPage
	}{
		{"upright", letter()},
		{"rotate 90", testPage{media: [4]float64{0, 0, 612, 792}, rotate: 90}},
		{"rotate 180", testPage{media: [4]float64{0, 0, 612, 792}, rotate: 180}},
		{"rotate 270", testPage{media: [4]float64{0, 0, 612, 792}, rotate: 270}},
		{"rotate -90", testPage{media: [4]float64{0, 0, 612, 792}, rotate: -90}},
		{"crop box off the origin", testPage{media: [4]float64{0, 0, 612, 792}, crop: &crop}},
		{"crop box and rotate 90", testPage{media: [4]float64{0, 0, 612, 792}, crop: &crop, rotate: 90}},
		{"crop box and rotate 270", testPage{media: [4]float64{0, 0, 612, 792}, crop: &crop, rotate: 270}},
		{"media box off the origin, rotate 180", testPage{media: offMedia, rotate: 180}},
		{"page content that leaves a scale behind", func() testPage {
			p := letter()
			p.content = "0.5 0 0 0.5 0 0 cm q 2 0 0 2 10 10 cm" // unbalanced q, and a scale
			return p
		}()},
	}
	for _, kind := range []string{"drawn", "typed"} {
		for _, tt := range tests {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				doc := makePDF([]testPage{letter(), tt.page})
				info, err := seal.Inspect(bytes.NewReader(doc))
				if err != nil {
					t.Fatal(err)
				}
				pw, ph := info.Pages[1].W, info.Pages[1].H
				wantX0, wantY0 := box.X*pw, box.Y*ph
				wantX1, wantY1 := wantX0+box.W*pw, wantY0+box.H*ph
				b := box
				b.Page = 1
				v := seal.Value{Box: b, Type: api.FieldSignature}
				if kind == "drawn" {
					// An image with the box's proportions fills it exactly.
					v.Image = blackPNG(t, int(math.Round(box.W*pw*4)), int(math.Round(box.H*ph*4)))
				} else {
					v.Text = "Ἀλέξανδρος Παπαδόπουλος"
				}
				path, _ := sealFile(t, sealer(t), doc, []seal.Value{v}, sampleTrail(doc))
				x0, y0, x1, y1, ok := inkBox(t, path, 2)
				if !ok {
					t.Fatal("no ink on the page")
				}
				const tol = 2.0 // points: pixel rounding at 72 dpi
				if x0 < wantX0-tol || y0 < wantY0-tol || x1 > wantX1+tol || y1 > wantY1+tol {
					t.Fatalf("ink at (%.0f,%.0f)-(%.0f,%.0f), outside the box (%.0f,%.0f)-(%.0f,%.0f)", x0, y0, x1, y1, wantX0, wantY0, wantX1, wantY1)
				}
				if kind == "drawn" && (x0 > wantX0+tol || y0 > wantY0+tol || x1 < wantX1-tol || y1 < wantY1-tol) {
					t.Fatalf("ink at (%.0f,%.0f)-(%.0f,%.0f) does not fill the box (%.0f,%.0f)-(%.0f,%.0f)", x0, y0, x1, y1, wantX0, wantY0, wantX1, wantY1)
				}
				if kind == "typed" && (x1-x0 < 0.5*(wantX1-wantX0) && y1-y0 < 0.5*(wantY1-wantY0)) {
					t.Fatalf("typed signature is tiny: (%.0f,%.0f)-(%.0f,%.0f) in (%.0f,%.0f)-(%.0f,%.0f)", x0, y0, x1, y1, wantX0, wantY0, wantX1, wantY1)
				}
				if _, _, _, _, ok := inkBox(t, path, 1); ok {
					t.Fatal("ink on page 1, which has no field")
				}
			})
		}
	}
}
