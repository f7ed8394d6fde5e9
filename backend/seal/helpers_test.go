package seal_test

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/x509"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	pdfsignverify "github.com/digitorus/pdfsign/verify"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"portico/backend/seal"
	"portico/backend/testkit/testtool"
)

// testPage describes one page of a PDF written by hand: boxes in PDF user space.
type testPage struct {
	media   [4]float64
	crop    *[4]float64
	rotate  int
	content string // a content stream; "" draws nothing
}

func letter() testPage { return testPage{media: [4]float64{0, 0, 612, 792}} }

// makePDF writes a minimal, valid PDF 1.7 with a classic xref table. Writing it by hand
// keeps the geometry under test exactly as stated, with nothing a library normalises.
func makePDF(pages []testPage) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) int {
		offsets = append(offsets, b.Len())
		n := len(offsets)
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
		return n
	}
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 3+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	for i, p := range pages {
		d := fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [%g %g %g %g] /Contents %d 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>",
			p.media[0], p.media[1], p.media[2], p.media[3], 4+2*i)
		if p.crop != nil {
			d += fmt.Sprintf(" /CropBox [%g %g %g %g]", p.crop[0], p.crop[1], p.crop[2], p.crop[3])
		}
		if p.rotate != 0 {
			d += fmt.Sprintf(" /Rotate %d", p.rotate)
		}
		obj(d + " >>")
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(p.content)+0, p.content))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

func pagesOf(n int, p testPage) []testPage {
	ps := make([]testPage, n)
	for i := range ps {
		ps[i] = p
	}
	return ps
}

// textPage is a Letter page with a line of Helvetica, like a real document has.
func textPage(line string) testPage {
	p := letter()
	p.content = "BT /F1 12 Tf 72 720 Td (" + line + ") Tj ET"
	return p
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func blackPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.Black)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A firm certificate is slow to make (RSA 3072), so the tests share one.
var testFirm = sync.OnceValues(func() (*firmCert, error) {
	cert, key, err := seal.NewCertificate("Ledger & Lamp CPA", time.Now())
	if err != nil {
		return nil, err
	}
	return &firmCert{cert, key}, nil
})

type firmCert struct {
	cert *x509.Certificate
	key  crypto.Signer
}

func firm(t testing.TB) *firmCert {
	t.Helper()
	f, err := testFirm()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// requireTool skips a test that needs an external checker when it is missing, except
// under CI (CI set), where a missing checker must not let the run pass unchecked.
func requireTool(t testing.TB, name string) {
	t.Helper()
	testtool.Need(t, name, "poppler-utils, qpdf, openssl")
}

// checkSealed runs the independent checkers on a sealed PDF: poppler's pdfsig, qpdf and
// pdfcpu's own signature validation.
func checkSealed(t *testing.T, path string) {
	t.Helper()
	requireTool(t, "pdfsig")
	requireTool(t, "qpdf")
	out, err := exec.Command("pdfsig", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfsig: %v\n%s", err, out)
	}
	// pdfsig exits 0 whatever it finds, so read what it says.
	if os.Getenv("SEAL_SHOW_PDFSIG") != "" {
		t.Logf("pdfsig:\n%s", out)
	}
	if !strings.Contains(string(out), "Signature Validation: Signature is Valid.") {
		t.Fatalf("pdfsig does not find a valid signature:\n%s", out)
	}
	if n := strings.Count(string(out), "Signature #"); n != 1 {
		t.Fatalf("pdfsig finds %d signatures, want 1:\n%s", n, out)
	}
	out, err = exec.Command("qpdf", "--check", path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	// pdfsign, which wrote the seal's revision before seal did it with pdfcpu, checks it.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := pdfsignverify.Verify(bytes.NewReader(data), int64(len(data)))
	if resp == nil || len(resp.Signers) != 1 || !resp.Signers[0].ValidSignature {
		t.Fatalf("pdfsign's verify: %v %+v", err, resp)
	}
	// pdfcpu looks for trusted roots in a directory: the test's own, holding only the
	// firm's certificate, as a relying party that knows the firm would have it.
	model.TrustedCertDir = t.TempDir()
	if err := os.WriteFile(filepath.Join(model.TrustedCertDir, "firm.pem"), seal.EncodeCertificatePEM(firm(t).cert), 0o600); err != nil {
		t.Fatal(err)
	}
	conf := model.NewDefaultConfiguration()
	conf.Offline = true
	results, err := api.ValidateSignatures(path, true, conf)
	if err != nil {
		t.Fatalf("pdfcpu validate signatures: %v", err)
	}
	if len(results) != 1 {
		t.Fatalf("pdfcpu finds %d signatures, want 1", len(results))
	}
	r := results[0]
	if r.Details.SubFilter != "ETSI.CAdES.detached" {
		t.Fatalf("pdfcpu: SubFilter %q, want ETSI.CAdES.detached", r.Details.SubFilter)
	}
	switch {
	case r.Status == model.SignatureStatusValid && r.Reason == model.SignatureReasonDocNotModified:
		if len(r.Details.Signers) != 1 || r.Details.Signers[0].PAdES != "B-B" {
			t.Fatalf("pdfcpu: not a PAdES B-B signature:\n%s", r)
		}
	case r.Reason == model.SignatureReasonSelfSignedCertErr:
		// pdfcpu checks the digest and the signature first and stops at the first
		// failure; it gets to judging the certificate only when both hold. It then
		// refuses any self-signed end-entity certificate (Go will not verify a
		// certificate's signature with a parent that is not a CA), which a firm
		// certificate is by design: see NewCertificate.
	default:
		t.Fatalf("pdfcpu: signature not intact (status %v, reason %v):\n%s", r.Status, r.Reason, r)
	}
}

var pdfsigTime = regexp.MustCompile(`Signing Time: (.*)`)

func pdftotext(t *testing.T, path string) string {
	t.Helper()
	requireTool(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	if os.Getenv("SEAL_SHOW_TEXT") != "" {
		t.Logf("pdftotext:\n%s", out)
	}
	return string(out)
}

// inkBox renders page (1-based) at 72 dpi, as displayed, and returns the bounding box of
// its dark pixels in points from the top-left corner; ok is false for a blank page.
func inkBox(t *testing.T, path string, page int) (x0, y0, x1, y1 float64, ok bool) {
	t.Helper()
	requireTool(t, "pdftoppm")
	prefix := filepath.Join(t.TempDir(), "page")
	out, err := exec.Command("pdftoppm", "-cropbox", "-r", "72", "-png", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-singlefile", path, prefix).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(bufio.NewReader(f))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, -1, -1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if (r+g+bl)/3 < 0x8000 {
				minX, minY = min(minX, x), min(minY, y)
				maxX, maxY = max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < 0 {
		return 0, 0, 0, 0, false
	}
	return float64(minX), float64(minY), float64(maxX + 1), float64(maxY + 1), true
}
