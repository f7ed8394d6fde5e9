// Package seal turns a signed eSignature packet into its final PDF: it renders the
// signers' values onto the original pages, appends an audit trail, and seals the file
// with the firm's certificate (a PAdES B-B signature, B-T with a timestamp authority).
// It also inspects PDFs at preparation and verifies sealed ones.
//
// The sealed file is built in three revisions, each appended to the last:
//
//	signed    the original rewritten by pdfcpu with the values drawn on its pages
//	trail     an incremental update adding the audit trail pages
//	seal      an incremental update holding the signature, covering all of it
//
// Values are drawn first and the signature comes last, once: pdfcpu rewrites whole
// files and would break any signature made before it. Keeping the signed document as
// the first revision lets the trail print its SHA-256 ("Signed SHA-256"): it is the
// SHA-256 of the first SignedSize bytes of the sealed file, which anyone can check with
// head -c and sha256sum. The sealed file's own hash cannot be printed inside it; Seal
// returns it for the firm's records.
package seal

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// ErrOriginalMismatch means the original handed to Seal is not the file the packet was
// sent with (Trail.OriginalSHA256).
var ErrOriginalMismatch = errors.New("seal: the original is not the document the packet was sent with")

// Sealer seals documents for one firm.
type Sealer struct {
	Cert  *x509.Certificate
	Key   crypto.Signer
	Chain []*x509.Certificate // issuers of Cert, nearest first; empty for a self-signed certificate

	// TSA is the URL of an RFC 3161 timestamp authority; "" for none. When set, a seal
	// is never made without its timestamp: Seal tries TSATries times (at least once)
	// and then fails with ErrTimestamp.
	TSA      string
	TSATries int
	// TSARoots are roots the TSA's certificate may chain to besides the system's, for a
	// private TSA; whoever verifies the seal needs them too (VerifyOptions.TSARoots).
	TSARoots *x509.CertPool
	// HTTPClient talks to the TSA; nil means http.DefaultClient. Each request has its
	// own timeout besides.
	HTTPClient *http.Client

	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Result describes a sealed document.
type Result struct {
	SHA256         string // of the sealed file Seal wrote
	Size           int64  // of the sealed file
	OriginalSHA256 string // of the original
	// SignedSHA256 is the SHA-256 of the document with the signers' values, before the
	// audit trail: the first SignedSize bytes of the sealed file. The trail prints it.
	SignedSHA256 string
	SignedSize   int64
	Pages        int // of the original document
	TrailPages   int
	SealedAt     time.Time // the signature's claimed time (/M); the TSA's when Timestamped
	Timestamped  bool
}

// Seal draws values onto original, appends the audit trail and signs the result once
// with s's certificate, writing the sealed PDF to w. Nothing is written to w unless the
// whole seal succeeded and the sealed file verifies.
func (s Sealer) Seal(ctx context.Context, original io.ReadSeeker, values []Value, trail Trail, w io.Writer) (Result, error) {
	if err := checkSigningPair(s.Cert, s.Key); err != nil {
		return Result{}, err
	}
	fonts, err := fontsOnce()
	if err != nil {
		return Result{}, err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if _, err := original.Seek(0, io.SeekStart); err != nil {
		return Result{}, fmt.Errorf("seal: read original: %w", err)
	}
	data, err := io.ReadAll(original)
	if err != nil {
		return Result{}, fmt.Errorf("seal: read original: %w", err)
	}
	res := Result{OriginalSHA256: sha256Hex(data)}
	if want := strings.ToLower(strings.TrimSpace(trail.OriginalSHA256)); want != "" && want != res.OriginalSHA256 {
		return Result{}, fmt.Errorf("%w (it has SHA-256 %s, the packet %s)", ErrOriginalMismatch, res.OriginalSHA256, want)
	}

	// Revision 1: the values, drawn by pdfcpu into a rewrite of the original.
	pctx, err := readPDF(data)
	if err != nil {
		return Result{}, fmt.Errorf("seal: %w", err)
	}
	res.Pages = pctx.PageCount
	embedded, err := stampValues(pctx, fonts, values)
	if err != nil {
		return Result{}, fmt.Errorf("seal: %w", err)
	}
	var signed bytes.Buffer
	signed.Grow(len(data) + 64<<10)
	if err := api.WriteContext(pctx, &signed); err != nil {
		return Result{}, fmt.Errorf("seal: write the signed document: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res.SignedSHA256, res.SignedSize = sha256Hex(signed.Bytes()), int64(signed.Len())

	// Revision 2: the audit trail.
	at := now().UTC().Truncate(time.Second)
	certSHA := sha256.Sum256(s.Cert.Raw)
	incr, trailPages, err := appendTrail(signed.Bytes(), fonts, embedded, trailFacts{
		Trail:       trail,
		originalSHA: res.OriginalSHA256,
		signedSHA:   res.SignedSHA256,
		signedSize:  signed.Len(),
		sealedAt:    at,
		sealedBy:    s.Cert.Subject.CommonName,
		certSHA:     hex.EncodeToString(certSHA[:]),
		tsa:         s.TSA,
	})
	if err != nil {
		return Result{}, err
	}
	res.TrailPages = trailPages
	doc := append(signed.Bytes(), incr...)

	// Revision 3: the seal.
	sealed, info, err := s.sign(ctx, doc, at)
	if err != nil {
		return Result{}, err
	}
	// Check what goes out as a verifier will: a seal that does not verify is a bug, and
	// must never reach a client.
	v, err := verifyBytes(sealed, VerifyOptions{TSARoots: s.TSARoots})
	if err != nil {
		return Result{}, fmt.Errorf("seal: the sealed document does not verify: %w", err)
	}
	if !v.Signer.Equal(s.Cert) {
		return Result{}, errors.New("seal: the sealed document names another signer")
	}
	res.SealedAt, res.Timestamped = v.SignedAt, v.Timestamped
	if info.timestamped != v.Timestamped {
		return Result{}, errors.New("seal: the timestamp did not make it into the seal")
	}
	res.SHA256, res.Size = sha256Hex(sealed), int64(len(sealed))
	if _, err := w.Write(sealed); err != nil {
		return Result{}, fmt.Errorf("seal: write the sealed document: %w", err)
	}
	return res, nil
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
