package seal_test

import (
	"bytes"
	"os"
	"testing"

	"portico/backend/seal"
)

// fuzzSeeds are a plain PDF, a sealed one (testdata/sealed.pdf, made by Seal: making one
// here costs each fuzz worker a certificate) and pieces of both.
func fuzzSeeds(f *testing.F) {
	doc := makePDF([]testPage{textPage("Engagement letter")})
	sealed, err := os.ReadFile("testdata/sealed.pdf")
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{doc, sealed, doc[:len(doc)/2], sealed[:len(sealed)-200],
		[]byte("%PDF-1.7\n%%EOF"), []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF")} {
		f.Add(seed)
	}
}

// Inspect reads what staff pick and what portald receives: any bytes get a verdict or an
// error, never a panic.
func FuzzInspect(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := seal.Inspect(bytes.NewReader(data))
		if err == nil && len(doc.Pages) == 0 {
			t.Fatal("a document without pages passed")
		}
	})
}

// Verify is behind the public /verify page: anyone's bytes.
func FuzzVerify(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := seal.Verify(bytes.NewReader(data))
		if err == nil && v.Intact && v.Signer == nil {
			t.Fatal("intact without a signer")
		}
	})
}
