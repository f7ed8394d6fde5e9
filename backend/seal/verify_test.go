package seal_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

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
		{"a padding byte after the signature value", func(b []byte) []byte {
			start := bytes.Index(b, []byte("/Contents<")) + len("/Contents<")
			end := start + bytes.IndexByte(b[start:], '>')
			b[end-1] = '1'
			return b
		}, seal.ErrTampered},
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

// withTimestamp returns sealed with the seal's timestamp token replaced, or added, by
// token(sig), sig being the seal's signature value: what anyone holding the file can do,
// since the token is an unsigned attribute in the /Contents gap the signature does not
// cover. The file keeps its size and byte range.
func withTimestamp(t *testing.T, sealed []byte, token func(sig []byte) []byte) []byte {
	t.Helper()
	brs := regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`).FindAllSubmatch(sealed, -1)
	if len(brs) == 0 {
		t.Fatal("no byte range")
	}
	gapStart, _ := strconv.Atoi(string(brs[len(brs)-1][2]))
	gapEnd, _ := strconv.Atoi(string(brs[len(brs)-1][3]))
	der, err := hex.DecodeString(string(sealed[gapStart+1 : gapEnd-1]))
	if err != nil {
		t.Fatal(err)
	}
	// ContentInfo { signedData, [0] SignedData { version, digestAlgorithms,
	// encapContentInfo, [0] certificates, SET { SignerInfo } } }
	in := cryptobyte.String(der)
	var ci, explicit, sd, version, digestAlgs, encap, certs, sis, si cryptobyte.String
	var siVersion, sid, digestAlg, signedAttrs, sigAlg cryptobyte.String
	var sig []byte
	ctxTag0 := cbasn1.Tag(0).Constructed().ContextSpecific()
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.SkipASN1(cbasn1.OBJECT_IDENTIFIER) ||
		!ci.ReadASN1(&explicit, ctxTag0) || !explicit.ReadASN1(&sd, cbasn1.SEQUENCE) ||
		!sd.ReadASN1Element(&version, cbasn1.INTEGER) || !sd.ReadASN1Element(&digestAlgs, cbasn1.SET) ||
		!sd.ReadASN1Element(&encap, cbasn1.SEQUENCE) || !sd.ReadASN1Element(&certs, ctxTag0) ||
		!sd.ReadASN1(&sis, cbasn1.SET) || !sis.ReadASN1(&si, cbasn1.SEQUENCE) ||
		!si.ReadASN1Element(&siVersion, cbasn1.INTEGER) || !si.ReadASN1Element(&sid, cbasn1.SEQUENCE) ||
		!si.ReadASN1Element(&digestAlg, cbasn1.SEQUENCE) || !si.ReadASN1Element(&signedAttrs, ctxTag0) ||
		!si.ReadASN1Element(&sigAlg, cbasn1.SEQUENCE) || !si.ReadASN1Bytes(&sig, cbasn1.OCTET_STRING) {
		t.Fatal("cannot read the seal's CMS")
	}
	tok := token(sig)
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2})
		b.AddASN1(ctxTag0, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(version)
				b.AddBytes(digestAlgs)
				b.AddBytes(encap)
				b.AddBytes(certs)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						for _, part := range [][]byte{siVersion, sid, digestAlg, signedAttrs, sigAlg} {
							b.AddBytes(part)
						}
						b.AddASN1OctetString(sig)
						b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // signature-time-stamp
								b.AddASN1ObjectIdentifier(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14})
								b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(tok) })
							})
						})
					})
				})
			})
		})
	})
	cms := hex.EncodeToString(b.BytesOrPanic())
	room := gapEnd - gapStart - 2
	if len(cms) > room {
		t.Fatalf("the new CMS (%d hex digits) does not fit the %d of the gap", len(cms), room)
	}
	out := bytes.Clone(sealed)
	copy(out[gapStart+1:], cms)
	copy(out[gapStart+1+len(cms):gapEnd-1], bytes.Repeat([]byte("0"), room-len(cms)))
	return out
}

// TestVerifyIgnoresAForgedTimestamp: anyone can put a timestamp token in a sealed file
// without breaking the seal, so only a token a trusted TSA signed may set its time.
func TestVerifyIgnoresAForgedTimestamp(t *testing.T) {
	defer seal.SetTSABackoff(time.Millisecond)()
	forgedAt := time.Date(2019, 1, 2, 10, 0, 0, 0, time.UTC)
	srv := newTSA(t, 0)
	trusted := seal.VerifyOptions{TSARoots: srv.ca.pool}

	plain, _ := sealedSample(t)
	doc := makePDF([]testPage{textPage("Engagement letter")})
	s := sealer(t)
	s.TSA, s.TSARoots = srv.URL, srv.ca.pool
	var stamped bytes.Buffer
	if _, err := s.Seal(context.Background(), bytes.NewReader(doc), nil, sampleTrail(doc), &stamped); err != nil {
		t.Fatal(err)
	}
	bases := []struct {
		name   string
		sealed []byte
	}{
		{"sealed without a timestamp", plain},
		{"sealed with a trusted timestamp", stamped.Bytes()},
	}

	selfMade, selfMadeKey := tsaCert(t, nil, tsaSelfSigned)
	otherCA := newCA(t, "Someone's Root")
	underOther, underOtherKey := tsaCert(t, otherCA, tsaGood)
	forge := func(cert *x509.Certificate, key crypto.Signer, withCerts bool) func([]byte) []byte {
		return func(sig []byte) []byte {
			h := sha256.Sum256(sig)
			_, tok, err := makeToken(cert, key, h[:], nil, forgedAt, withCerts)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
	}
	tests := []struct {
		name    string
		token   func([]byte) []byte
		trusted bool
	}{
		{"a token without certificates", forge(selfMade, selfMadeKey, false), false},
		{"a token from a self-made TSA", forge(selfMade, selfMadeKey, true), false},
		{"a token from a TSA under an unknown root", forge(underOther, underOtherKey, true), false},
		{"the trusted TSA's certificate beside another key's signature", forge(srv.cert, selfMadeKey, true), false},
		// The control: the same surgery with a token the trusted TSA did sign is read,
		// so the cases above fail for their tokens, not for the surgery.
		{"a token the trusted TSA signed", forge(srv.cert, srv.key, true), true},
	}
	for _, base := range bases {
		for _, tt := range tests {
			t.Run(base.name+"/"+tt.name, func(t *testing.T) {
				changed := withTimestamp(t, base.sealed, tt.token)
				if len(changed) != len(base.sealed) {
					t.Fatalf("size changed")
				}
				v, err := seal.VerifyWith(bytes.NewReader(changed), trusted)
				if err != nil || !v.Intact {
					t.Fatalf("the seal itself should hold: %v %+v", err, v)
				}
				if tt.trusted {
					if !v.Timestamped || !v.SignedAt.Equal(forgedAt) || !v.TimestampSigner.Equal(srv.cert) {
						t.Fatalf("the trusted TSA's token is not read: %+v", v)
					}
					return
				}
				if v.Timestamped || !v.SignedAt.Equal(sealedAt) || v.TimestampSigner != nil {
					t.Fatalf("verdict %+v, want untimestamped at the claimed %v", v, sealedAt)
				}
				if !strings.Contains(v.Reason, "by the sealer's clock; its timestamp") || strings.Contains(v.Reason, "2019") {
					t.Errorf("reason %q", v.Reason)
				}
			})
		}
	}
}

// testdata/sealed.pdf, the fuzzers' seed, is a sealed document Verify finds intact.
func TestSealedSeedIsIntact(t *testing.T) {
	data, err := os.ReadFile("testdata/sealed.pdf")
	if err != nil {
		t.Fatal(err)
	}
	v, err := seal.Verify(bytes.NewReader(data))
	if err != nil || !v.Intact {
		t.Fatalf("the seed: %+v, %v", v, err)
	}
}
