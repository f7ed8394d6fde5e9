package seal_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	sealapi "portico/backend/api"
	"portico/backend/seal"
)

func sealedSample(t *testing.T) ([]byte, seal.Result) {
	t.Helper()
	doc := makePDF([]testPage{textPage("Engagement letter"), textPage("Signatures")})
	values := []seal.Value{{Box: sealapi.Box{Page: 1, X: 0.1, Y: 0.5, W: 0.4, H: 0.08}, Type: sealapi.FieldSignature, Image: blackPNG(t, 200, 40)}}
	var out bytes.Buffer
	res, err := sealer(t).Seal(context.Background(), bytes.NewReader(doc), values, sampleTrail(doc), &out)
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), res
}

func TestVerifyCatchesEveryChange(t *testing.T) {
	sealed, res := sealedSample(t)
	if v, err := seal.Verify(bytes.NewReader(sealed)); err != nil || !v.Intact {
		t.Fatalf("the untouched seal does not verify: %v", err)
	}
	signedEnd := int(res.SignedSize)
	flip := func(at int) func([]byte) []byte {
		return func(b []byte) []byte { b[at] ^= 0x01; return b }
	}
	tests := []struct {
		name   string
		change func([]byte) []byte
		want   error
	}{
		{"a byte in the signed document", flip(signedEnd / 2), seal.ErrTampered},
		{"a byte in the audit trail", flip(signedEnd + 200), seal.ErrTampered},
		{"a byte after the signature", flip(len(sealed) - 40), seal.ErrTampered},
		{"the signature value", func(b []byte) []byte {
			i := bytes.Index(b, []byte("/Contents<")) + len("/Contents<") + 600
			if b[i] == '0' {
				b[i] = '1'
			} else {
				b[i] = '0'
			}
			return b
		}, seal.ErrInvalidSeal},
		{"an incremental update appended", func(b []byte) []byte {
			return append(b, []byte("\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nxref\n1 1\n0000000000 00000 n \ntrailer\n<< /Size 3 >>\nstartxref\n0\n%%EOF\n")...)
		}, seal.ErrTampered},
		{"cut short", func(b []byte) []byte { return b[:len(b)-100] }, seal.ErrTampered},
		{"a trailing newline", func(b []byte) []byte { return append(b, '\n') }, seal.ErrTampered},
		{"the SubFilter renamed", func(b []byte) []byte {
			return bytes.Replace(b, []byte("/ETSI.CAdES.detached"), []byte("/adbe.pkcs7.detached"), 1)
		}, seal.ErrTampered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changed := tt.change(bytes.Clone(sealed))
			v, err := seal.Verify(bytes.NewReader(changed))
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if v.Intact || v.Reason == "" || !strings.Contains(err.Error(), v.Reason) {
				t.Fatalf("verdict %+v", v)
			}
		})
	}
}

// TestOtherCheckersAgreeATamperedSealIsBroken keeps the independent checkers honest:
// the same checks that pass sealed files must fail a changed one.
func TestOtherCheckersAgreeATamperedSealIsBroken(t *testing.T) {
	requireTool(t, "pdfsig")
	sealed, _ := sealedSample(t)
	changed := bytes.Clone(sealed)
	changed[len(changed)/4] ^= 0x01
	path := writeFile(t, "tampered.pdf", changed)
	out, _ := exec.Command("pdfsig", path).CombinedOutput()
	if strings.Contains(string(out), "Signature is Valid.") {
		t.Errorf("pdfsig still finds the signature valid:\n%s", out)
	}
	api.DisableConfigDir()
	model.TrustedCertDir = t.TempDir()
	conf := model.NewDefaultConfiguration()
	conf.Offline = true
	results, err := api.ValidateSignatures(path, true, conf)
	if err == nil && len(results) == 1 && results[0].Reason != model.SignatureReasonDocModified {
		t.Errorf("pdfcpu does not see the change:\n%s", results[0])
	}
}

func TestVerifyRejectsUnsealedFiles(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"not a PDF", []byte("hello"), seal.ErrNotPDF},
		{"an unsealed PDF", makePDF([]testPage{textPage("Draft")}), seal.ErrNotSealed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := seal.Verify(bytes.NewReader(tt.data))
			if !errors.Is(err, tt.want) || v.Intact {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyNamesTheSigner(t *testing.T) {
	sealed, _ := sealedSample(t)
	v, err := seal.Verify(bytes.NewReader(sealed))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Signer.Equal(firm(t).cert) {
		t.Fatalf("signer %v", v.Signer.Subject)
	}
	if want := fmt.Sprintf("has not changed since %s sealed it", "Ledger & Lamp CPA"); !strings.Contains(v.Reason, want) {
		t.Errorf("reason %q", v.Reason)
	}
}
