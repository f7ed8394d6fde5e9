package seal

import (
	"bytes"
	"crypto"
	_ "crypto/sha1"   // signing-certificate (v1) attributes of signatures made elsewhere
	_ "crypto/sha512" // SHA-384 and SHA-512 digests of signatures made elsewhere
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/timestamp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Errors of Verify. Their text is for whoever checks a document: staff or a client.
var (
	ErrNotSealed   = errors.New("this PDF has no digital seal")
	ErrTampered    = errors.New("this PDF was changed after it was sealed")
	ErrInvalidSeal = errors.New("the seal on this PDF is damaged or not valid")
)

// Verdict is what Verify found.
type Verdict struct {
	// Intact is true when the file is, byte for byte, what was sealed: the signature
	// covers all of it and verifies with Signer's key. Whether Signer is a firm's
	// certificate is the caller's to decide.
	Intact   bool
	Signer   *x509.Certificate
	Chain    []*x509.Certificate // other certificates the seal carries
	SignedAt time.Time           // the timestamp's time when Timestamped, else the claimed /M
	// Timestamped is true when an RFC 3161 timestamp of the signature verifies and its
	// TSA's certificate chains to a trusted root (see VerifyOptions). The token sits
	// outside the signed bytes, so anyone can add or replace one: an untrusted token
	// leaves the document Intact but is ignored.
	Timestamped     bool
	TimestampSigner *x509.Certificate // the TSA's certificate when Timestamped, for callers that pin a TSA
	SubFilter       string            // ETSI.CAdES.detached for seals made here
	Reason          string            // one sentence for a person, whatever the outcome
}

// VerifyOptions says what VerifyWith trusts.
type VerifyOptions struct {
	// TSARoots are roots a timestamp authority may chain to besides the system's, for
	// a private TSA. The seal's own certificate is not judged against them.
	TSARoots *x509.CertPool
}

// Verify says whether r is a sealed PDF that has not changed since it was sealed. The
// error is nil exactly when the verdict is Intact; otherwise it wraps ErrNotPDF,
// ErrNotSealed, ErrTampered or ErrInvalidSeal, and Verdict.Reason says what is wrong.
//
// Integrity is decided by the bytes, not by a PDF parser's view of them: the seal's
// ByteRange must cover the whole file except its own /Contents, so nothing can be
// added, removed or changed anywhere (an incremental update appended after sealing
// included) without the digest failing. Verify does not judge trust: Signer may be any
// certificate, and the caller compares it with the firms' certificates. A timestamp
// counts only when its TSA chains to a system root; VerifyWith trusts others too.
func Verify(r io.ReadSeeker) (Verdict, error) {
	return VerifyWith(r, VerifyOptions{})
}

// VerifyWith is Verify with options.
func VerifyWith(r io.ReadSeeker, opts VerifyOptions) (v Verdict, err error) {
	defer readerPanic(&err)
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return Verdict{}, fmt.Errorf("seal: read PDF: %w", err)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return Verdict{}, fmt.Errorf("seal: read PDF: %w", err)
	}
	return verifyBytes(data, opts)
}

var byteRangeRE = regexp.MustCompile(`^/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)

// findByteRanges returns the submatch indexes of every ByteRange entry in data; a plain
// search finds the candidates, which is much faster than a regexp over the whole file.
func findByteRanges(data []byte) [][]int {
	var out [][]int
	key := []byte("/ByteRange")
	for off := 0; ; {
		i := bytes.Index(data[off:], key)
		if i < 0 {
			return out
		}
		at := off + i
		window := data[at:min(len(data), at+128)]
		if m := byteRangeRE.FindSubmatchIndex(window); m != nil {
			for j := range m {
				m[j] += at
			}
			out = append(out, m)
		}
		off = at + len(key)
	}
}

func fail(v Verdict, kind error, reason string, args ...any) (Verdict, error) {
	v.Intact = false
	v.Reason = fmt.Sprintf(reason, args...)
	return v, fmt.Errorf("%w: %s", kind, v.Reason)
}

func verifyBytes(data []byte, opts VerifyOptions) (Verdict, error) {
	var v Verdict
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return fail(v, ErrNotPDF, "The file is not a PDF.")
	}
	size := int64(len(data))
	var br [4]int64
	var at []int
	found, covering := false, false
	var end int64
	for _, m := range findByteRanges(data) {
		var cand [4]int64
		ok := true
		for i := range cand {
			n, err := strconv.ParseInt(string(data[m[2+2*i]:m[3+2*i]]), 10, 64)
			ok = ok && err == nil
			cand[i] = n
		}
		if !ok {
			continue
		}
		found = true
		end = max(end, cand[2]+cand[3])
		if cand[2]+cand[3] == size {
			br, at, covering = cand, m, true
		}
	}
	if !found {
		return fail(v, ErrNotSealed, "This PDF has no digital seal.")
	}
	if !covering {
		if end < size {
			return fail(v, ErrTampered, "The document was changed after it was sealed: %d bytes were added after the seal (the file was saved again, perhaps by a PDF editor).", size-end)
		}
		return fail(v, ErrTampered, "The document was changed after it was sealed: it is shorter than what was sealed.")
	}
	if br[0] != 0 || br[1] <= 0 || br[2] <= br[1]+2 || br[2] > size {
		return fail(v, ErrTampered, "The document was changed after it was sealed: the seal's byte range is not whole.")
	}
	gap := data[br[1]:br[2]]
	if gap[0] != '<' || gap[len(gap)-1] != '>' {
		return fail(v, ErrTampered, "The document was changed after it was sealed: the seal is not where the file says.")
	}
	der, err := hex.DecodeString(string(gap[1 : len(gap)-1]))
	if err != nil {
		return fail(v, ErrTampered, "The document was changed after it was sealed: the seal's value was altered.")
	}
	// The DER is followed by zero padding up to the placeholder's size; a changed padding
	// byte changes no digest, but the file is no longer the one sealed.
	padded := cryptobyte.String(der)
	var sig cryptobyte.String
	if !padded.ReadASN1Element(&sig, cbasn1.SEQUENCE) {
		return fail(v, ErrInvalidSeal, "The seal cannot be read: %v.", errMalformed)
	}
	if bytes.ContainsFunc(padded, func(r rune) bool { return r != 0 }) {
		return fail(v, ErrTampered, "The document was changed after it was sealed: the padding after the seal's value was altered.")
	}
	der = sig
	dict := sigDict(data, at[0])
	v.SubFilter = dictName(dict, "SubFilter")
	claimed := pdfDate(dictString(dict, "M"))

	cms, err := parseCMS(der)
	if err != nil {
		return fail(v, ErrInvalidSeal, "The seal cannot be read: %v.", err)
	}
	v.Signer, v.Chain = cms.signer, cms.others
	h := cms.hash.New()
	h.Write(data[:br[1]])
	h.Write(data[br[2]:])
	if !bytes.Equal(h.Sum(nil), cms.messageDigest) {
		return fail(v, ErrTampered, "The document was changed after it was sealed: its content no longer matches the seal.")
	}
	if err := cms.checkSignature(); err != nil {
		return fail(v, ErrInvalidSeal, "The seal's signature does not verify with its certificate: %v.", err)
	}
	if err := cms.checkSigningCertificate(v.SubFilter == "ETSI.CAdES.detached"); err != nil {
		return fail(v, ErrInvalidSeal, "The seal does not name its certificate correctly: %v.", err)
	}
	v.SignedAt = claimed
	// The token is an unsigned attribute, outside what the seal covers: whatever is
	// wrong with it says nothing about the document, only that its time is not proven.
	var tsErr error
	if cms.timestampToken != nil {
		ts, tsa, err := checkTimestamp(cms.timestampToken, cms.signature, opts.TSARoots)
		if err == nil {
			v.Timestamped, v.SignedAt, v.TimestampSigner = true, ts.Time.UTC(), tsa
		}
		tsErr = err
	}
	v.Intact = true
	who := v.Signer.Subject.CommonName
	if who == "" {
		who = v.Signer.Subject.String()
	}
	var when []string
	switch {
	case v.Timestamped:
		when = append(when, "timestamped "+utc(v.SignedAt))
	case !v.SignedAt.IsZero():
		when = append(when, "on "+utc(v.SignedAt)+" by the sealer's clock")
	}
	switch {
	case errors.Is(tsErr, errUntrustedTSA):
		when = append(when, "its timestamp is not from a trusted timestamp authority")
	case tsErr != nil:
		when = append(when, "its timestamp does not verify and is ignored")
	}
	v.Reason = fmt.Sprintf("The document is intact: it has not changed since %s sealed it.", who)
	if len(when) > 0 {
		v.Reason = fmt.Sprintf("The document is intact: it has not changed since %s sealed it (%s).", who, strings.Join(when, "; "))
	}
	return v, nil
}

// errUntrustedTSA means a timestamp verifies but its TSA's certificate does not chain to
// a trusted root: anyone can make such a token, with any time.
var errUntrustedTSA = errors.New("the timestamp authority is not trusted")

var oidTSTInfo = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}

// checkTimestamp checks an RFC 3161 timestamp token over sig (a signature value): its
// signature verifies with a certificate it carries, that certificate is for
// timestamping and chains, at the token's time, to a system root or one of roots. It
// returns the token and that certificate.
func checkTimestamp(token, sig []byte, roots *x509.CertPool) (*timestamp.Timestamp, *x509.Certificate, error) {
	ts, err := timestamp.Parse(token)
	if err != nil {
		return nil, nil, fmt.Errorf("timestamp: %w", err)
	}
	// timestamp.Parse checks the signature only when the token carries certificates;
	// one without them proves nothing.
	if len(ts.Certificates) == 0 {
		return nil, nil, errors.New("timestamp: it carries no certificate to check it with")
	}
	if !ts.HashAlgorithm.Available() {
		return nil, nil, fmt.Errorf("timestamp: unsupported hash %v", ts.HashAlgorithm)
	}
	th := ts.HashAlgorithm.New()
	th.Write(sig)
	if !bytes.Equal(th.Sum(nil), ts.HashedMessage) {
		return nil, nil, errors.New("timestamp: it is for another signature")
	}
	signer, err := tokenSigner(token, ts.Certificates)
	if err != nil {
		return nil, nil, fmt.Errorf("timestamp: %w", err)
	}
	// x509.Verify lets a certificate without any extended key usage pass as "any".
	if !slices.Contains(signer.ExtKeyUsage, x509.ExtKeyUsageTimeStamping) {
		return nil, nil, errors.New("timestamp: its certificate is not for timestamping")
	}
	inter := x509.NewCertPool()
	for _, c := range ts.Certificates {
		inter.AddCert(c)
	}
	vo := x509.VerifyOptions{Intermediates: inter, CurrentTime: ts.Time, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}}
	_, err = signer.Verify(vo) // nil Roots: the system's
	if err != nil && roots != nil {
		vo.Roots = roots
		_, err = signer.Verify(vo)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", errUntrustedTSA, err)
	}
	return ts, signer, nil
}

// tokenSigner returns the certificate, among certs, of a timestamp token's one signer:
// the one timestamp.Parse checked the signature with (it matches issuer and serial the
// same way).
func tokenSigner(token []byte, certs []*x509.Certificate) (*x509.Certificate, error) {
	in := cryptobyte.String(token)
	var ci, explicit, sd, encap, sis, si, sid, issuer cryptobyte.String
	var ct, eType asn1.ObjectIdentifier
	var version, siVersion int64
	serial := new(big.Int)
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ct) || !ct.Equal(oidSignedData) ||
		!ci.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) || !explicit.ReadASN1(&sd, cbasn1.SEQUENCE) ||
		!sd.ReadASN1Integer(&version) || !sd.SkipASN1(cbasn1.SET) ||
		!sd.ReadASN1(&encap, cbasn1.SEQUENCE) || !encap.ReadASN1ObjectIdentifier(&eType) ||
		!sd.SkipOptionalASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!sd.SkipOptionalASN1(cbasn1.Tag(1).Constructed().ContextSpecific()) ||
		!sd.ReadASN1(&sis, cbasn1.SET) {
		return nil, errMalformed
	}
	if !eType.Equal(oidTSTInfo) {
		return nil, errors.New("it is not a timestamp")
	}
	if !sis.ReadASN1(&si, cbasn1.SEQUENCE) || !sis.Empty() {
		return nil, errors.New("it must have exactly one signer")
	}
	if !si.ReadASN1Integer(&siVersion) || !si.ReadASN1(&sid, cbasn1.SEQUENCE) ||
		!sid.ReadASN1Element(&issuer, cbasn1.SEQUENCE) || !sid.ReadASN1Integer(serial) {
		return nil, errors.New("it names its signer by key identifier, which is not supported")
	}
	for _, c := range certs {
		if bytes.Equal(c.RawIssuer, issuer) && c.SerialNumber.Cmp(serial) == 0 {
			return c, nil
		}
	}
	return nil, errors.New("its signer's certificate is missing")
}

// sigDict returns the text of the object holding the ByteRange at i: enough to read its
// SubFilter and M, which the signature covers.
func sigDict(data []byte, i int) []byte {
	start := bytes.LastIndex(data[:i], []byte(" obj"))
	if start < 0 {
		start = max(0, i-4096)
	}
	end := bytes.Index(data[i:], []byte("endobj"))
	if end < 0 {
		end = min(len(data)-i, 4096)
	}
	return data[start : i+end]
}

var (
	nameRE   = regexp.MustCompile(`/SubFilter\s*/([A-Za-z0-9.#_-]+)`)
	stringRE = regexp.MustCompile(`/M\s*\(([^)]*)\)`)
)

func dictName(dict []byte, key string) string {
	if m := nameRE.FindSubmatch(dict); m != nil && key == "SubFilter" {
		return string(m[1])
	}
	return ""
}

func dictString(dict []byte, key string) string {
	if m := stringRE.FindSubmatch(dict); m != nil && key == "M" {
		return string(m[1])
	}
	return ""
}

// pdfDate parses a PDF date such as D:20250301140211+00'00'; zero if it cannot.
func pdfDate(s string) time.Time {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 14 {
		return time.Time{}
	}
	t, err := time.Parse("20060102150405", s[:14])
	if err != nil {
		return time.Time{}
	}
	rest := s[14:]
	if len(rest) >= 6 && (rest[0] == '+' || rest[0] == '-') {
		hh, err1 := strconv.Atoi(rest[1:3])
		mm, err2 := strconv.Atoi(rest[4:6])
		if err1 == nil && err2 == nil {
			off := time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute
			if rest[0] == '+' {
				t = t.Add(-off)
			} else {
				t = t.Add(off)
			}
		}
	}
	return t.UTC()
}

// cmsSignature is the part of a CMS SignedData a verifier needs.
type cmsSignature struct {
	signer         *x509.Certificate
	others         []*x509.Certificate
	hash           crypto.Hash
	signedAttrs    []byte // the SET, as signed
	sigAlg         asn1.ObjectIdentifier
	signature      []byte
	messageDigest  []byte
	essCertV2      []byte // value of signing-certificate-v2, if present
	essCertV1      []byte // value of signing-certificate, if present
	timestampToken []byte
}

var (
	oidAttrSigningCertV1 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	oidSHA384            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	errMalformed         = errors.New("malformed signature data")
)

func hashOf(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(oidSHA256):
		return crypto.SHA256, true
	case oid.Equal(oidSHA384):
		return crypto.SHA384, true
	case oid.Equal(oidSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

func parseCMS(der []byte) (*cmsSignature, error) {
	in := cryptobyte.String(der)
	var ci, explicit, sd cryptobyte.String
	var ct asn1.ObjectIdentifier
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ct) || !ct.Equal(oidSignedData) ||
		!ci.ReadASN1(&explicit, cbasn1.Tag(0).Constructed().ContextSpecific()) || !explicit.ReadASN1(&sd, cbasn1.SEQUENCE) {
		return nil, errMalformed
	}
	var version int64
	var digestAlgs, encap, certs, sis, si cryptobyte.String
	var hasCerts bool
	var eType asn1.ObjectIdentifier
	if !sd.ReadASN1Integer(&version) || !sd.ReadASN1(&digestAlgs, cbasn1.SET) ||
		!sd.ReadASN1(&encap, cbasn1.SEQUENCE) || !encap.ReadASN1ObjectIdentifier(&eType) ||
		!sd.ReadOptionalASN1(&certs, &hasCerts, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!sd.SkipOptionalASN1(cbasn1.Tag(1).Constructed().ContextSpecific()) ||
		!sd.ReadASN1(&sis, cbasn1.SET) {
		return nil, errMalformed
	}
	if !encap.Empty() {
		return nil, errors.New("the signature embeds its content instead of pointing at the PDF")
	}
	if !eType.Equal(oidData) {
		return nil, errors.New("the signature is over something other than data")
	}
	var all []*x509.Certificate
	for !certs.Empty() {
		var c cryptobyte.String
		if !certs.ReadASN1Element(&c, cbasn1.SEQUENCE) {
			// Attribute and other certificate choices are not for PDF signatures.
			return nil, errMalformed
		}
		cert, err := x509.ParseCertificate(c)
		if err != nil {
			return nil, fmt.Errorf("certificate: %w", err)
		}
		all = append(all, cert)
	}
	if !sis.ReadASN1(&si, cbasn1.SEQUENCE) || !sis.Empty() {
		return nil, errors.New("the seal must have exactly one signer")
	}

	out := &cmsSignature{}
	var siVersion int64
	var ias, issuer, digestAlg, sigAlg, signedAttrs, unsignedAttrs cryptobyte.String
	var serial = new(big.Int)
	var hasSigned, hasUnsigned bool
	var digestOID asn1.ObjectIdentifier
	if !si.ReadASN1Integer(&siVersion) || !si.ReadASN1(&ias, cbasn1.SEQUENCE) ||
		!ias.ReadASN1Element(&issuer, cbasn1.SEQUENCE) || !ias.ReadASN1Integer(serial) ||
		!si.ReadASN1(&digestAlg, cbasn1.SEQUENCE) || !digestAlg.ReadASN1ObjectIdentifier(&digestOID) ||
		!si.ReadOptionalASN1(&signedAttrs, &hasSigned, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!si.ReadASN1(&sigAlg, cbasn1.SEQUENCE) || !sigAlg.ReadASN1ObjectIdentifier(&out.sigAlg) ||
		!si.ReadASN1Bytes(&out.signature, cbasn1.OCTET_STRING) ||
		!si.ReadOptionalASN1(&unsignedAttrs, &hasUnsigned, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return nil, errMalformed
	}
	var ok bool
	if out.hash, ok = hashOf(digestOID); !ok {
		return nil, fmt.Errorf("unsupported digest algorithm %v", digestOID)
	}
	for _, c := range all {
		if out.signer == nil && bytes.Equal(c.RawIssuer, issuer) && c.SerialNumber.Cmp(serial) == 0 {
			out.signer = c
			continue
		}
		out.others = append(out.others, c)
	}
	if out.signer == nil {
		return nil, errors.New("the signer's certificate is missing")
	}
	if !hasSigned {
		return nil, errors.New("no signed attributes")
	}
	var set cryptobyte.Builder
	set.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(signedAttrs) })
	out.signedAttrs = set.BytesOrPanic()

	var contentTypeOK bool
	err := eachAttribute(signedAttrs, func(oid asn1.ObjectIdentifier, value cryptobyte.String) error {
		switch {
		case oid.Equal(oidAttrContentType):
			var t asn1.ObjectIdentifier
			contentTypeOK = value.ReadASN1ObjectIdentifier(&t) && t.Equal(oidData)
		case oid.Equal(oidAttrMessageDigest):
			if !value.ReadASN1Bytes(&out.messageDigest, cbasn1.OCTET_STRING) {
				return errMalformed
			}
		case oid.Equal(oidAttrSigningCertV2):
			out.essCertV2 = value
		case oid.Equal(oidAttrSigningCertV1):
			out.essCertV1 = value
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !contentTypeOK || out.messageDigest == nil {
		return nil, errors.New("content-type or message-digest attribute missing")
	}
	if hasUnsigned {
		err := eachAttribute(unsignedAttrs, func(oid asn1.ObjectIdentifier, value cryptobyte.String) error {
			if oid.Equal(oidAttrTimeStampToken) {
				var tok cryptobyte.String
				if !value.ReadASN1Element(&tok, cbasn1.SEQUENCE) {
					return errMalformed
				}
				out.timestampToken = tok
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eachAttribute calls fn with the first value of each attribute in a SET OF Attribute's
// contents.
func eachAttribute(attrs cryptobyte.String, fn func(asn1.ObjectIdentifier, cryptobyte.String) error) error {
	for !attrs.Empty() {
		var a, values, value cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !attrs.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&oid) || !a.ReadASN1(&values, cbasn1.SET) ||
			!values.ReadAnyASN1Element(&value, nil) {
			return errMalformed
		}
		if err := fn(oid, value); err != nil {
			return err
		}
	}
	return nil
}

func (c *cmsSignature) checkSignature() error {
	var alg x509.SignatureAlgorithm
	rsaAlgs := map[crypto.Hash]x509.SignatureAlgorithm{crypto.SHA256: x509.SHA256WithRSA, crypto.SHA384: x509.SHA384WithRSA, crypto.SHA512: x509.SHA512WithRSA}
	ecAlgs := map[crypto.Hash]x509.SignatureAlgorithm{crypto.SHA256: x509.ECDSAWithSHA256, crypto.SHA384: x509.ECDSAWithSHA384, crypto.SHA512: x509.ECDSAWithSHA512}
	switch {
	case c.sigAlg.Equal(oidRSAEncryption) || c.sigAlg.Equal(oidSHA256WithRSA) ||
		c.sigAlg.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}) || c.sigAlg.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}):
		alg = rsaAlgs[c.hash]
	case c.sigAlg.Equal(oidECDSAWithSHA256) || c.sigAlg.Equal(asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}) ||
		c.sigAlg.Equal(asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}) || c.sigAlg.Equal(asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}):
		alg = ecAlgs[c.hash]
	default:
		return fmt.Errorf("unsupported signature algorithm %v", c.sigAlg)
	}
	return c.signer.CheckSignature(alg, c.signedAttrs, c.signature)
}

// checkSigningCertificate checks the ESS attribute that binds the signature to the
// signer's certificate, so that a certificate swapped in beside the same key is noticed.
// CAdES requires it.
func (c *cmsSignature) checkSigningCertificate(required bool) error {
	var hash crypto.Hash
	var certID cryptobyte.String
	switch {
	case c.essCertV2 != nil:
		var sc, ids cryptobyte.String
		in := cryptobyte.String(c.essCertV2)
		if !in.ReadASN1(&sc, cbasn1.SEQUENCE) || !sc.ReadASN1(&ids, cbasn1.SEQUENCE) || !ids.ReadASN1(&certID, cbasn1.SEQUENCE) {
			return errMalformed
		}
		hash = crypto.SHA256
		if certID.PeekASN1Tag(cbasn1.SEQUENCE) {
			var alg cryptobyte.String
			var oid asn1.ObjectIdentifier
			if !certID.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
				return errMalformed
			}
			var ok bool
			if hash, ok = hashOf(oid); !ok {
				return fmt.Errorf("unsupported hash %v", oid)
			}
		}
	case c.essCertV1 != nil:
		var sc, ids cryptobyte.String
		in := cryptobyte.String(c.essCertV1)
		if !in.ReadASN1(&sc, cbasn1.SEQUENCE) || !sc.ReadASN1(&ids, cbasn1.SEQUENCE) || !ids.ReadASN1(&certID, cbasn1.SEQUENCE) {
			return errMalformed
		}
		hash = crypto.SHA1
	default:
		if required {
			return errors.New("signing-certificate attribute missing")
		}
		return nil
	}
	var want []byte
	if !certID.ReadASN1Bytes(&want, cbasn1.OCTET_STRING) {
		return errMalformed
	}
	h := hash.New()
	h.Write(c.signer.Raw)
	if !bytes.Equal(h.Sum(nil), want) {
		return errors.New("it names another certificate")
	}
	return nil
}
