package seal_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"portico/backend/seal"
)

func TestInspectGivesDisplayedPageSizes(t *testing.T) {
	crop := [4]float64{50, 100, 350, 500} // 300 x 400, off the origin
	doc, err := seal.Inspect(bytes.NewReader(makePDF([]testPage{
		letter(),
		{media: [4]float64{0, 0, 612, 792}, rotate: 90},
		{media: [4]float64{0, 0, 612, 792}, rotate: -90},
		{media: [4]float64{0, 0, 595, 842}, rotate: 180},
		{media: [4]float64{0, 0, 612, 792}, crop: &crop},
		{media: [4]float64{0, 0, 612, 792}, crop: &crop, rotate: 270},
	})))
	if err != nil {
		t.Fatal(err)
	}
	want := []seal.Page{{W: 612, H: 792}, {W: 792, H: 612}, {W: 792, H: 612}, {W: 595, H: 842}, {W: 300, H: 400}, {W: 400, H: 300}}
	if len(doc.Pages) != len(want) {
		t.Fatalf("%d pages, want %d", len(doc.Pages), len(want))
	}
	for i, p := range doc.Pages {
		if math.Abs(p.W-want[i].W) > 0.01 || math.Abs(p.H-want[i].H) > 0.01 {
			t.Errorf("page %d: %vx%v, want %vx%v", i+1, p.W, p.H, want[i].W, want[i].H)
		}
	}
}

func TestInspectRejectsWhatCannotBeSealed(t *testing.T) {
	good := makePDF([]testPage{textPage("Engagement letter")})
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want error
	}{
		{"a Word document", func(*testing.T) []byte { return []byte("PK\x03\x04 not a pdf at all") }, seal.ErrNotPDF},
		{"an empty file", func(*testing.T) []byte { return nil }, seal.ErrNotPDF},
		{"a truncated download", func(*testing.T) []byte { return good[:len(good)/2] }, seal.ErrDamaged},
		{"garbage after the header", func(*testing.T) []byte { return append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 4000)...) }, seal.ErrDamaged},
		{"no pages", func(*testing.T) []byte { return makePDF(nil) }, seal.ErrNoPages},
		{"a user password", func(t *testing.T) []byte { return encrypt(t, good, "secret") }, seal.ErrEncrypted},
		{"an owner password only", func(t *testing.T) []byte { return encrypt(t, good, "") }, seal.ErrProtected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := seal.Inspect(bytes.NewReader(tt.data(t)))
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
}

// encrypt protects pdf with qpdf, AES-256; user "" leaves only an owner password.
func encrypt(t *testing.T, pdf []byte, user string) []byte {
	t.Helper()
	requireTool(t, "qpdf")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("qpdf", "--encrypt", user, "owner-pw", "256", "--", in, out).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --encrypt: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestInspectAcceptsWhatIsWhole(t *testing.T) {
	good := makePDF([]testPage{textPage("Engagement letter")})
	tests := map[string][]byte{
		"padded with NUL bytes to a block": append(bytes.Clone(good), make([]byte, 4096)...),
		"NULs and a line break after %EOF": append(bytes.Clone(good), "\r\n\x00\x00\x00"...),
	}
	for name, pdf := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := seal.Inspect(bytes.NewReader(pdf)); err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			var out bytes.Buffer
			if _, err := sealer(t).Seal(context.Background(), bytes.NewReader(pdf), nil, sampleTrail(pdf), &out); err != nil {
				t.Fatalf("Seal: %v", err)
			}
		})
	}
}

// Staff who never typed a password must not be asked for a copy "without the password".
func TestOwnerPasswordIsExplainedAsProtection(t *testing.T) {
	_, err := seal.Inspect(bytes.NewReader(encrypt(t, makePDF([]testPage{textPage("Form")}), "")))
	if !errors.Is(err, seal.ErrProtected) || strings.Contains(err.Error(), "without the password") ||
		!strings.Contains(err.Error(), "Print it to a new PDF") {
		t.Fatalf("error %v", err)
	}
}
