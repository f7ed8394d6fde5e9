package seal

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
)

// Why the signature is laid out by pdfsign but its CMS is ours.
//
// pdfsign (this version) writes /SubFilter /adbe.pkcs7.detached and has no option for
// ETSI.CAdES.detached, the SubFilter of PAdES. Its CMS comes from digitorus/pkcs7, which
// always adds a signing-time attribute (PAdES forbids it) and an empty Adobe revocation
// attribute, and it calls the TSA without a context, timeout or retry. What pdfsign does
// well is the incremental update: signature dictionary and field, catalog, xref (table or
// stream, as the file has), ByteRange. So sealing is:
//
//  1. pdfsign writes that update around a placeholder CMS; its signer is a stand-in
//     that returns a few bytes, so the key signs once, later. The placeholder is sized
//     for our CMS, a timestamp token and slack (SignatureMaxLengthBase).
//  2. /SubFilter /adbe.pkcs7.detached becomes /SubFilter /ETSI.CAdES.detached: the
//     two names have the same length, so no offset and no ByteRange moves.
//  3. cadesSignature signs the final byte ranges and the CMS goes into /Contents.
//
// Step 2 happens before the byte ranges are hashed, so the SubFilter is covered by the
// signature like everything else.
var (
	subFilterPKCS7 = []byte("/SubFilter /adbe.pkcs7.detached")
	subFilterCAdES = []byte("/SubFilter /ETSI.CAdES.detached")
)

// Room reserved in /Contents, in bytes of DER, beyond the certificates and the signature
// value. A timestamp token with its TSA's certificate chain is 3–7 KB in practice.
const (
	cmsSlack      = 2048
	timestampRoom = 12 << 10
)

// placeholderSigner lets pdfsign build its throwaway CMS without the real key.
type placeholderSigner struct{ pub crypto.PublicKey }

func (p placeholderSigner) Public() crypto.PublicKey { return p.pub }
func (p placeholderSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return make([]byte, 8), nil
}

// signInfo describes the signature sign wrote.
type signInfo struct {
	byteRange   [4]int64
	timestamped bool
}

// sign appends the seal to doc and returns the sealed file.
func (s Sealer) sign(ctx context.Context, doc []byte, at time.Time) ([]byte, signInfo, error) {
	rdr, err := pdf.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		return nil, signInfo{}, fmt.Errorf("seal: pdfsign cannot read the document: %w", err)
	}
	reserve := len(s.Cert.Raw) + len(s.Cert.RawIssuer) + cmsSlack
	for _, c := range s.Chain {
		reserve += len(c.Raw)
	}
	if pub, ok := s.Key.Public().(interface{ Size() int }); ok {
		reserve += pub.Size()
	} else {
		reserve += 512
	}
	if s.TSA != "" {
		reserve += timestampRoom
	}
	var out bytes.Buffer
	sc := &sign.SignContext{
		InputFile:  bytes.NewReader(doc),
		OutputFile: &out,
		PDFReader:  rdr,
		SignData: sign.SignData{
			Signature: sign.SignDataSignature{
				// A certification signature that allows no change: a sealed document is
				// final. pdfsign marks it in the signature's DocMDP reference.
				CertType:   sign.CertificationSignature,
				DocMDPPerm: sign.DoNotAllowAnyChangesPerms,
				Info: sign.SignDataSignatureInfo{
					Name:   s.Cert.Subject.CommonName,
					Reason: "Sealed after all parties signed; audit trail attached",
					Date:   at,
				},
			},
			Signer:            placeholderSigner{s.Key.Public()},
			DigestAlgorithm:   crypto.SHA256,
			Certificate:       s.Cert,
			CertificateChains: [][]*x509.Certificate{append([]*x509.Certificate{s.Cert}, s.Chain...)},
		},
		SignatureMaxLengthBase: uint32(hex.EncodedLen(reserve)),
	}
	if err := sc.SignPDF(); err != nil {
		return nil, signInfo{}, fmt.Errorf("seal: pdfsign: %w", err)
	}
	sealed := out.Bytes()
	if len(sc.ByteRangeValues) != 4 {
		return nil, signInfo{}, errors.New("seal: pdfsign left no byte range")
	}
	br := [4]int64{sc.ByteRangeValues[0], sc.ByteRangeValues[1], sc.ByteRangeValues[2], sc.ByteRangeValues[3]}
	if br[0] != 0 || br[1] <= int64(len(doc)) || br[2] <= br[1] || br[2]+br[3] != int64(len(sealed)) {
		return nil, signInfo{}, fmt.Errorf("seal: pdfsign wrote an unexpected byte range %v", br)
	}

	// Step 2: the SubFilter, in the part pdfsign appended, exactly once.
	appended := sealed[len(doc):]
	if bytes.Count(appended, subFilterPKCS7) != 1 {
		return nil, signInfo{}, errors.New("seal: pdfsign's signature dictionary is not as expected")
	}
	i := bytes.Index(appended, subFilterPKCS7)
	copy(appended[i:], subFilterCAdES)

	// Step 3.
	signed := make([]byte, 0, br[1]+br[3])
	signed = append(signed, sealed[:br[1]]...)
	signed = append(signed, sealed[br[2]:]...)
	cms, err := cadesSignature(ctx, signed, s.Cert, s.Chain, s.Key, s.timestamper())
	if err != nil {
		return nil, signInfo{}, err
	}
	room := int(br[2]-br[1]) - 2 // between < and >
	if hex.EncodedLen(len(cms)) > room {
		return nil, signInfo{}, fmt.Errorf("seal: the signature (%d bytes) does not fit the %d reserved", len(cms), room/2)
	}
	if sealed[br[1]] != '<' || sealed[br[2]-1] != '>' {
		return nil, signInfo{}, errors.New("seal: pdfsign's /Contents is not where its byte range says")
	}
	hex.Encode(sealed[br[1]+1:], cms)
	return sealed, signInfo{byteRange: br, timestamped: s.TSA != ""}, nil
}
