package seal_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/seal"
)

var sealedAt = time.Date(2025, 3, 1, 14, 2, 11, 0, time.UTC)

func sealer(t testing.TB) seal.Sealer {
	f := firm(t)
	return seal.Sealer{Cert: f.cert, Key: f.key, Now: func() time.Time { return sealedAt }}
}

func sampleTrail(doc []byte) seal.Trail {
	h := sha256.Sum256(doc)
	at := sealedAt.Add(-2 * time.Hour)
	return seal.Trail{
		Document: "2024 Engagement Letter", PacketID: "pk_01HV3", Firm: "Ledger & Lamp CPA",
		OriginalSHA256: hex.EncodeToString(h[:]),
		Events: []seal.Event{
			{At: at, What: "sent", Who: "Dana Staff <dana@ledgerlamp.test>", IP: "198.51.100.4"},
			{At: at.Add(time.Minute), What: "viewed", Who: "Ἀλέξανδρος Παπαδόπουλος <alex@example.test>", IP: "203.0.113.7",
				UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"},
			{At: at.Add(2 * time.Minute), What: "signed", Who: "Дмитрий Шостакович <dmitri@example.test>", IP: "2001:db8::1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/124.0"},
			{At: at.Add(3 * time.Minute), What: "completed", Who: "Portico", Detail: "All 2 signers signed."},
		},
	}
}

func sealFile(t *testing.T, s seal.Sealer, doc []byte, values []seal.Value, trail seal.Trail) (string, seal.Result) {
	t.Helper()
	var out bytes.Buffer
	res, err := s.Seal(context.Background(), bytes.NewReader(doc), values, trail, &out)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	path := writeFile(t, "sealed.pdf", out.Bytes())
	if dir := os.Getenv("SEAL_KEEP"); dir != "" {
		// For a person to look at: SEAL_KEEP=/some/dir go test -run ...
		name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + ".pdf"
		if err := os.WriteFile(filepath.Join(dir, name), out.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return path, res
}

func TestSealRendersNamesInEveryScriptAndPassesIndependentCheckers(t *testing.T) {
	doc := makePDF([]testPage{textPage("Engagement letter"), textPage("Terms"), textPage("Signatures")})
	greek, cyrillic := "Ἀλέξανδρος Παπαδόπουλος", "Дмитрий Шостакович"
	values := []seal.Value{
		{Box: api.Box{Page: 2, X: 0.1, Y: 0.5, W: 0.4, H: 0.06}, Type: api.FieldSignature, Image: blackPNG(t, 300, 80)},
		{Box: api.Box{Page: 2, X: 0.1, Y: 0.6, W: 0.5, H: 0.04}, Type: api.FieldName, Text: greek},
		{Box: api.Box{Page: 2, X: 0.1, Y: 0.7, W: 0.5, H: 0.05}, Type: api.FieldSignature, Text: cyrillic},
		{Box: api.Box{Page: 0, X: 0.8, Y: 0.9, W: 0.1, H: 0.04}, Type: api.FieldInitials, Text: "ДШ"},
		{Box: api.Box{Page: 1, X: 0.6, Y: 0.7, W: 0.3, H: 0.03}, Type: api.FieldDate, Text: "March 1, 2025"},
		{Box: api.Box{Page: 1, X: 0.1, Y: 0.8, W: 0.6, H: 0.03}, Type: api.FieldText, Text: "Maple Street Bakery, LLC — EIN 12-3456789"},
	}
	trail := sampleTrail(doc)
	path, res := sealFile(t, sealer(t), doc, values, trail)
	checkSealed(t, path)

	text := pdftotext(t, path)
	for _, want := range []string{greek, cyrillic, "ДШ", "March 1, 2025", "Maple Street Bakery", "Engagement letter",
		"Audit trail", "2024 Engagement Letter", "pk_01HV3", "Ledger & Lamp CPA", res.OriginalSHA256, res.SignedSHA256,
		"2025-03-01 12:03:11", "203.0.113.7", "2001:db8::1", "AppleWebKit/605.1.15", "All 2 signers signed."} {
		if !strings.Contains(text, want) {
			t.Errorf("the sealed PDF's text lacks %q", want)
		}
	}

	sealed, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := sha256.Sum256(sealed); hex.EncodeToString(got[:]) != res.SHA256 || int64(len(sealed)) != res.Size {
		t.Errorf("Result.SHA256/Size do not describe the written file")
	}
	// The signed document is the start of the sealed file, as the trail says.
	if got := sha256.Sum256(sealed[:res.SignedSize]); hex.EncodeToString(got[:]) != res.SignedSHA256 {
		t.Errorf("the first %d bytes do not hash to SignedSHA256", res.SignedSize)
	}
	if !strings.Contains(text, fmt.Sprintf("head -c %d", res.SignedSize)) {
		t.Errorf("the trail does not say how to check the signed document")
	}
	if res.Pages != 3 || res.TrailPages < 1 {
		t.Errorf("pages %d, trail pages %d", res.Pages, res.TrailPages)
	}

	v, err := seal.Verify(bytes.NewReader(sealed))
	if err != nil || !v.Intact {
		t.Fatalf("Verify: %v %+v", err, v)
	}
	if !v.Signer.Equal(firm(t).cert) || !v.SignedAt.Equal(sealedAt) || v.Timestamped || v.SubFilter != "ETSI.CAdES.detached" {
		t.Errorf("verdict %+v", v)
	}
}

func TestSealRefusesAnotherOriginal(t *testing.T) {
	doc := makePDF([]testPage{textPage("One")})
	trail := sampleTrail(makePDF([]testPage{textPage("Another")}))
	var out bytes.Buffer
	_, err := sealer(t).Seal(context.Background(), bytes.NewReader(doc), nil, trail, &out)
	if !errors.Is(err, seal.ErrOriginalMismatch) {
		t.Fatalf("error %v, want ErrOriginalMismatch", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %d bytes on failure", out.Len())
	}
}

func TestSealRejectsBadValues(t *testing.T) {
	doc := makePDF([]testPage{textPage("One")})
	tests := []struct {
		name string
		v    seal.Value
	}{
		{"page past the end", seal.Value{Box: api.Box{Page: 1, X: 0.1, Y: 0.1, W: 0.2, H: 0.1}, Type: api.FieldName, Text: "A"}},
		{"box off the page", seal.Value{Box: api.Box{X: 0.9, Y: 0.1, W: 0.2, H: 0.1}, Type: api.FieldName, Text: "A"}},
		{"unknown type", seal.Value{Box: api.Box{X: 0.1, Y: 0.1, W: 0.2, H: 0.1}, Type: "stamp", Text: "A"}},
		{"empty", seal.Value{Box: api.Box{X: 0.1, Y: 0.1, W: 0.2, H: 0.1}, Type: api.FieldDate}},
		{"not an image", seal.Value{Box: api.Box{X: 0.1, Y: 0.1, W: 0.2, H: 0.1}, Type: api.FieldSignature, Image: []byte("<svg/>")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sealer(t).Seal(context.Background(), bytes.NewReader(doc), []seal.Value{tt.v}, seal.Trail{}, &bytes.Buffer{})
			if !errors.Is(err, seal.ErrBadValue) {
				t.Fatalf("error %v, want ErrBadValue", err)
			}
		})
	}
}

func TestLongTrailFlowsOntoMorePages(t *testing.T) {
	doc := makePDF([]testPage{textPage("One")})
	trail := sampleTrail(doc)
	for i := 0; i < 120; i++ {
		trail.Events = append(trail.Events, seal.Event{
			At: sealedAt.Add(-time.Duration(120-i) * time.Minute), What: "reminded",
			Who: fmt.Sprintf("Signer %03d <s%03d@example.test>", i, i), IP: "192.0.2.1", UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/123.0",
		})
	}
	path, res := sealFile(t, sealer(t), doc, nil, trail)
	if res.TrailPages < 3 {
		t.Fatalf("%d trail pages for 124 events", res.TrailPages)
	}
	checkSealed(t, path)
	text := pdftotext(t, path)
	for _, want := range []string{"Signer 000", "Signer 119", fmt.Sprintf("page %d of %d", res.TrailPages, res.TrailPages)} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
}

// TestConcurrentSeals seals several packets at once, as portald does when signers finish
// together; under -race this checks the shared font setup. One name is Armenian, outside
// the alphabets embedded up front, so its font is made for that document.
func TestConcurrentSeals(t *testing.T) {
	names := []string{"Maria Lopez", "Ἀλέξανδρος Παπαδόπουλος", "Дмитрий Шостакович", "Արամ Խաչատրյան"}
	doc := makePDF([]testPage{textPage("Engagement letter")})
	type result struct {
		name string
		out  []byte
		err  error
	}
	results := make(chan result, len(names))
	for _, n := range names {
		go func() {
			var out bytes.Buffer
			values := []seal.Value{{Box: api.Box{X: 0.1, Y: 0.7, W: 0.6, H: 0.06}, Type: api.FieldName, Text: n}}
			tr := sampleTrail(doc)
			tr.Events = append(tr.Events, seal.Event{At: sealedAt, What: "signed", Who: n})
			_, err := sealer(t).Seal(context.Background(), bytes.NewReader(doc), values, tr, &out)
			results <- result{n, out.Bytes(), err}
		}()
	}
	for range names {
		r := <-results
		if r.err != nil {
			t.Fatalf("%s: %v", r.name, r.err)
		}
		path := writeFile(t, "sealed.pdf", r.out)
		checkSealed(t, path)
		if text := pdftotext(t, path); strings.Count(text, r.name) < 2 {
			t.Errorf("%s: want the name on the page and in the trail:\n%s", r.name, text)
		}
	}
}
