package seal

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"net/http"
	"sort"
	"time"

	"github.com/digitorus/timestamp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers of the CMS the seal writes (RFC 5652, RFC 5035, RFC 3161).
var (
	oidData                  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidAttrContentType       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningCertV2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidAttrTimeStampToken    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	oidSHA256                = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidRSAEncryption         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidECDSAWithSHA256       = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	asn1Null                 = []byte{0x05, 0x00}
	errUnsupportedSignerType = errors.New("unsupported key type")
)

// cadesSignature builds the CMS SignedData of a PAdES baseline B-B signature
// (ETSI EN 319 142-1) over content, the PDF's signed byte ranges: detached; signed
// attributes content-type, message-digest and signing-certificate-v2 (the certificate's
// SHA-256 and issuer/serial, binding the signature to this certificate); no signing-time
// attribute, which PAdES forbids (the time is the signature dictionary's /M, or the
// timestamp's). stamp, when not nil, timestamps the signature value (PAdES B-T): its
// token goes in as the signature-time-stamp unsigned attribute.
func cadesSignature(ctx context.Context, content []byte, cert *x509.Certificate, chain []*x509.Certificate, key crypto.Signer,
	stamp func(context.Context, []byte) ([]byte, error)) ([]byte, error) {
	digest := sha256.Sum256(content)
	essHash := sha256.Sum256(cert.Raw)

	var attrs [][]byte
	attrs = append(attrs, attribute(oidAttrContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) }))
	attrs = append(attrs, attribute(oidAttrMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(digest[:]) }))
	attrs = append(attrs, attribute(oidAttrSigningCertV2, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SigningCertificateV2
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // certs
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ESSCertIDv2, hashAlgorithm defaults to SHA-256
					b.AddASN1OctetString(essHash[:])
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerSerial
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // GeneralNames
							b.AddASN1(cbasn1.Tag(4).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { // directoryName
								b.AddBytes(cert.RawIssuer)
							})
						})
						b.AddASN1BigInt(cert.SerialNumber)
					})
				})
			})
		})
	}))
	// DER orders the elements of a SET OF by their encodings.
	sort.Slice(attrs, func(i, j int) bool { return bytes.Compare(attrs[i], attrs[j]) < 0 })
	signedAttrs := concat(attrs)

	// The signature covers the signed attributes encoded as a SET (RFC 5652 §5.4).
	var sb cryptobyte.Builder
	sb.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(signedAttrs) })
	toSign, err := sb.Bytes()
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(toSign)
	var sigAlg func(*cryptobyte.Builder)
	switch key.Public().(type) {
	case *rsa.PublicKey:
		sigAlg = func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidRSAEncryption); b.AddBytes(asn1Null) })
		}
	case *ecdsa.PublicKey:
		sigAlg = func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidECDSAWithSHA256) })
		}
	default:
		return nil, fmt.Errorf("seal: %w %T", errUnsupportedSignerType, key.Public())
	}
	sig, err := key.Sign(rand.Reader, h[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("seal: sign: %w", err)
	}
	var token []byte
	if stamp != nil {
		if token, err = stamp(ctx, sig); err != nil {
			return nil, err
		}
	}

	sha256Alg := func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidSHA256) })
	}
	var out cryptobyte.Builder
	out.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		b.AddASN1ObjectIdentifier(oidSignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, sha256Alg)
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) }) // detached
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddBytes(cert.Raw)
					for _, c := range chain {
						b.AddBytes(c.Raw)
					}
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignerInfo
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerAndSerialNumber
							b.AddBytes(cert.RawIssuer)
							b.AddASN1BigInt(cert.SerialNumber)
						})
						sha256Alg(b)
						b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(signedAttrs) })
						sigAlg(b)
						b.AddASN1OctetString(sig)
						if token != nil {
							b.AddASN1(cbasn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
								b.AddBytes(attribute(oidAttrTimeStampToken, func(b *cryptobyte.Builder) { b.AddBytes(token) }))
							})
						}
					})
				})
			})
		})
	})
	return out.Bytes()
}

func attribute(oid asn1.ObjectIdentifier, value func(*cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		b.AddASN1(cbasn1.SET, value)
	})
	return b.BytesOrPanic()
}

func concat(parts [][]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ErrTimestamp means the timestamp authority did not timestamp the seal, after every
// try, with a timestamp Verify would trust. Nothing is sealed then: a seal that should
// carry a trusted time never goes out without one.
var ErrTimestamp = errors.New("seal: the timestamp authority did not answer with a trusted timestamp")

// Tuning of the TSA client: package variables so tests can shorten them.
var (
	tsaTimeout = 20 * time.Second       // one request
	tsaBackoff = 500 * time.Millisecond // before the second try; doubles after
	tsaMaxBody = int64(256 << 10)
)

// timestamper returns the function cadesSignature calls to timestamp a signature value
// with s.TSA, trying s.TSATries times.
func (s Sealer) timestamper() func(context.Context, []byte) ([]byte, error) {
	if s.TSA == "" {
		return nil
	}
	client := s.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	return func(ctx context.Context, sig []byte) ([]byte, error) {
		tries := max(1, s.TSATries)
		var last error
		wait := tsaBackoff
		for i := 0; i < tries; i++ {
			if i > 0 {
				// Jitter, so that many portals retrying one TSA do not knock in step.
				d := wait/2 + time.Duration(mrand.Int64N(int64(wait)))
				select {
				case <-ctx.Done():
					return nil, fmt.Errorf("%w: %w (last try: %w)", ErrTimestamp, ctx.Err(), last)
				case <-time.After(d):
				}
				wait *= 2
			}
			token, err := requestTimestamp(ctx, client, s.TSA, sig, s.TSARoots)
			if err == nil {
				return token, nil
			}
			last = err
			if ctx.Err() != nil {
				break
			}
		}
		return nil, fmt.Errorf("%w: %s after %d tries: %w", ErrTimestamp, s.TSA, tries, last)
	}
}

// requestTimestamp asks url for an RFC 3161 timestamp of sig's SHA-256 and checks that the
// answer is for that hash and this request (nonce), and that checkTimestamp trusts it
// (with roots besides the system's): over plain HTTP anyone on the path can answer.
func requestTimestamp(ctx context.Context, client *http.Client, url string, sig []byte, roots *x509.CertPool) ([]byte, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, err
	}
	req, err := timestamp.CreateRequest(bytes.NewReader(sig), &timestamp.RequestOptions{
		Hash: crypto.SHA256, Certificates: true, Nonce: nonce,
	})
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, tsaTimeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(req))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	hr.Header.Set("Accept", "application/timestamp-reply")
	resp, err := client.Do(hr)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, tsaMaxBody))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s", resp.Status)
	}
	ts, err := timestamp.ParseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("answer: %w", err)
	}
	want := sha256.Sum256(sig)
	if ts.HashAlgorithm != crypto.SHA256 || !bytes.Equal(ts.HashedMessage, want[:]) {
		return nil, errors.New("answer timestamps something else")
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, errors.New("answer is not for this request (nonce)")
	}
	if _, _, err := checkTimestamp(ts.RawToken, sig, roots); err != nil {
		return nil, fmt.Errorf("answer: %w", err)
	}
	return ts.RawToken, nil
}
