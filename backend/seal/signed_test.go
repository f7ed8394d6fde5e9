package seal_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"portico/backend/api"
	"portico/backend/seal"
	"portico/backend/testkit/pdftest"
)

// A signature value as signed PDFs carry them: long zero padding in /Contents.
var sigContents = "<" + strings.Repeat("0", 8192) + ">"

// signedPDFs are documents already carrying a signature of some kind; sealing would
// break it or fail after everyone signed, so preparation refuses them in words.
func signedPDFs() map[string][]byte {
	field := func(v string) []byte {
		return pdftest.MakeWith("/AcroForm << /Fields [4 0 R] /SigFlags 3 >>", []string{
			"<< /FT /Sig /T (Signature1) /V 5 0 R /Subtype /Widget /Rect [0 0 0 0] >>", v}, pdftest.Letter("A form"))
	}
	return map[string][]byte{
		"PAdES-LTA document timestamp": field("<< /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 /ByteRange [0 100 200 300] /Contents " + sigContents + " >>"),
		"PAdES B-B":                    field("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 100 200 300] /Contents " + sigContents + " >>"),
		"adbe.pkcs7.detached":          field("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 300] /Contents " + sigContents + " >>"),
		"certified (DocMDP)": pdftest.MakeWith("/Perms << /DocMDP 4 0 R >>", []string{
			"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 300] /Contents " + sigContents + " >>"},
			pdftest.Letter("A letter")),
	}
}

func TestInspectRefusesSignedPDFsInWords(t *testing.T) {
	for name, pdf := range signedPDFs() {
		t.Run(name, func(t *testing.T) {
			_, err := seal.Inspect(bytes.NewReader(pdf))
			if !errors.Is(err, seal.ErrAlreadySigned) {
				t.Fatalf("Inspect: %v, want ErrAlreadySigned", err)
			}
			if !strings.Contains(err.Error(), "already signed") {
				t.Errorf("message %q", err)
			}
		})
	}
}

// Sealing checks the document again, so a packet prepared before the check (or not on a
// desktop) fails with the same words and never panics.
func TestSealRefusesSignedPDFs(t *testing.T) {
	for name, pdf := range signedPDFs() {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := sealer(t).Seal(context.Background(), bytes.NewReader(pdf), nil, sampleTrail(pdf), &out)
			if !errors.Is(err, seal.ErrAlreadySigned) {
				t.Fatalf("Seal: %v, want ErrAlreadySigned", err)
			}
		})
	}
}

// Reader's usage rights are not a person's signature: the form is sealed without them, as
// any change to the file voids them anyway.
func TestSealDropsUsageRights(t *testing.T) {
	pdf := pdftest.MakeWith("/Perms << /UR3 4 0 R >>", []string{"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 300] /Contents " + sigContents +
		" /Reference [<< /Type /SigRef /TransformMethod /UR3 /TransformParams << /Type /TransformParams /V /2.2 /Form [/FillIn] >> >>] >>"}, pdftest.Letter("A form"))
	if _, err := seal.Inspect(bytes.NewReader(pdf)); err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	var out bytes.Buffer
	if _, err := sealer(t).Seal(context.Background(), bytes.NewReader(pdf), nil, sampleTrail(pdf), &out); err != nil {
		t.Fatalf("Seal: %v", err)
	}
	if bytes.Contains(out.Bytes(), []byte("/UR3")) {
		t.Error("the sealed PDF still carries /UR3")
	}
	checkSealed(t, writeFile(t, "sealed.pdf", out.Bytes()))
}

func TestInspectAndSealRefuseDecompressionBombs(t *testing.T) {
	pdf := pdftest.Bomb(150)
	if len(pdf) > 1<<20 {
		t.Fatalf("the bomb is %d bytes", len(pdf))
	}
	if _, err := seal.Inspect(bytes.NewReader(pdf)); !errors.Is(err, seal.ErrTooLarge) {
		t.Fatalf("Inspect: %v, want ErrTooLarge", err)
	}
	var out bytes.Buffer
	if _, err := sealer(t).Seal(context.Background(), bytes.NewReader(pdf), nil, sampleTrail(pdf), &out); !errors.Is(err, seal.ErrTooLarge) {
		t.Fatalf("Seal: %v, want ErrTooLarge", err)
	}
}

// Stamped values carry a light backing, so ink on a dark page background can be read.
func TestValuesOnADarkPageCanBeRead(t *testing.T) {
	requireTool(t, "pdftoppm")
	dark := letter()
	dark.content = "0.15 g 0 0 612 792 re f"
	pdf := makePDF([]testPage{dark})
	box := api.Box{X: .25, Y: .25, W: .5, H: .1}
	var out bytes.Buffer
	values := []seal.Value{{Box: box, Type: api.FieldText, Text: "Ana Pérez"}}
	if _, err := sealer(t).Seal(context.Background(), bytes.NewReader(pdf), values, sampleTrail(pdf), &out); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "sealed.pdf", out.Bytes())
	prefix := filepath.Join(t.TempDir(), "page")
	if b, err := exec.Command("pdftoppm", "-r", "72", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, b)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	var light, dim, all int
	for y := int(box.Y*792) + 2; y < int((box.Y+box.H)*792)-2; y++ {
		for x := int(box.X*612) + 2; x < int((box.X+box.W)*612)-2; x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			all++
			switch {
			case r > 0xb000:
				light++
			case r < 0x6000:
				dim++
			}
		}
	}
	// Most of the box is light behind the text, and the text itself is dark on it.
	if light < all/2 || dim == 0 {
		t.Fatalf("in the box: %d light and %d dark pixels of %d", light, dim, all)
	}
}
