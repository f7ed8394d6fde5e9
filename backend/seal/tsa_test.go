package seal_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"portico/backend/api"
	"portico/backend/seal"
)

// tsaKind is how a test TSA answers.
type tsaKind int

const (
	tsaGood           tsaKind = iota // its certificate, for timestamping, chains to its test root
	tsaNoCerts                       // leaves its certificate out of the token
	tsaSelfSigned                    // signs with a self-made certificate, under no root
	tsaNotForStamping                // its certificate, under the root, lacks the timestamping usage
	tsaBadSignature                  // the token's signature is corrupt
)

// testCA is a root a test trusts by passing pool.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

// Validity of the test certificates: wide enough for a token dated 2019 to be checked
// at its own time.
var (
	certFrom = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	certTo   = time.Now().AddDate(10, 0, 0)
)

func newCA(t *testing.T, name string) *testCA {
	t.Helper()
	cert, key := issue(t, &x509.Certificate{
		Subject: pkix.Name{CommonName: name}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}, nil, nil)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert, key, pool}
}

// issue makes a certificate from tmpl, signed by parent's key or, when parent is nil,
// by its own.
func issue(t *testing.T, tmpl *x509.Certificate, parent *x509.Certificate, parentKey crypto.Signer) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber, tmpl.NotBefore, tmpl.NotAfter = serial, certFrom, certTo
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

// timeStampingEKU is the extended key usage RFC 3161 requires of a TSA: timestamping
// only, critical (Go would write it non-critical).
var timeStampingEKU = func() pkix.Extension {
	v, err := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	if err != nil {
		panic(err)
	}
	return pkix.Extension{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: v}
}()

// tsaCert makes the certificate a TSA of kind signs with, under ca.
func tsaCert(t *testing.T, ca *testCA, kind tsaKind) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	tmpl := &x509.Certificate{
		Subject: pkix.Name{CommonName: "Test TSA"}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{timeStampingEKU},
	}
	switch kind {
	case tsaSelfSigned:
		tmpl.Subject.CommonName = "Totally Real TSA"
		return issue(t, tmpl, nil, nil)
	case tsaNotForStamping:
		tmpl.ExtraExtensions = nil
	}
	return issue(t, tmpl, ca.cert, ca.key)
}

// makeToken returns an RFC 3161 reply and its token, signed with key as cert. It is
// called from handlers too, so it returns its error rather than failing a test.
func makeToken(cert *x509.Certificate, key crypto.Signer, hashed []byte, nonce *big.Int, at time.Time, withCerts bool) (reply, token []byte, err error) {
	ts := timestamp.Timestamp{
		HashAlgorithm: crypto.SHA256, HashedMessage: hashed, Nonce: nonce,
		Time: at, Policy: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, AddTSACertificate: withCerts,
	}
	if reply, err = ts.CreateResponseWithOpts(cert, key, crypto.SHA256); err != nil {
		return nil, nil, err
	}
	// TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken }
	in := cryptobyte.String(reply)
	var resp, tok cryptobyte.String
	if !in.ReadASN1(&resp, cbasn1.SEQUENCE) || !resp.SkipASN1(cbasn1.SEQUENCE) || !resp.ReadASN1Element(&tok, cbasn1.SEQUENCE) {
		return nil, nil, errors.New("cannot read the token back")
	}
	return reply, tok, nil
}

// tsa is an RFC 3161 timestamp authority on loopback. It answers HTTP 500 to the first
// failFirst requests.
type tsa struct {
	*httptest.Server
	hits      atomic.Int32
	failFirst int32
	at        time.Time
	ca        *testCA // the root of a good TSA; pass ca.pool to trust it
	cert      *x509.Certificate
	key       *ecdsa.PrivateKey
}

func newTSA(t *testing.T, failFirst int32) *tsa { return newTSAOf(t, tsaGood, failFirst) }

func newTSAOf(t *testing.T, kind tsaKind, failFirst int32) *tsa {
	t.Helper()
	s := &tsa{failFirst: failFirst, at: time.Date(2025, 3, 1, 14, 2, 13, 0, time.UTC), ca: newCA(t, "Test TSA Root")}
	s.cert, s.key = tsaCert(t, s.ca, kind)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.hits.Add(1)
		if n <= s.failFirst {
			http.Error(w, "TSA overloaded", http.StatusInternalServerError)
			return
		}
		body, _ := io.ReadAll(r.Body)
		req, err := timestamp.ParseRequest(body)
		if err != nil || r.Header.Get("Content-Type") != "application/timestamp-query" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		reply, _, err := makeToken(s.cert, s.key, req.HashedMessage, req.Nonce, s.at, req.Certificates && kind != tsaNoCerts)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if kind == tsaBadSignature {
			// The token ends with the signature value, and so does the reply.
			reply[len(reply)-1] ^= 0x01
		}
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(reply)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestTimestampedSeal(t *testing.T) {
	defer seal.SetTSABackoff(time.Millisecond)()
	tests := []struct {
		name      string
		failFirst int32
		tries     int
		wantHits  int32
		wantErr   bool
	}{
		{"answers at once", 0, 3, 1, false},
		{"answers on the second try", 1, 3, 2, false},
		{"never answers", 100, 3, 3, true},
		{"never answers, tries unset", 100, 0, 1, true},
	}
	doc := makePDF([]testPage{textPage("Engagement letter")})
	values := []seal.Value{{Box: api.Box{X: 0.1, Y: 0.8, W: 0.4, H: 0.06}, Type: api.FieldSignature, Text: "Maria Lopez"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTSA(t, tt.failFirst)
			s := sealer(t)
			s.TSA, s.TSATries, s.TSARoots = srv.URL, tt.tries, srv.ca.pool
			var out bytes.Buffer
			res, err := s.Seal(context.Background(), bytes.NewReader(doc), values, sampleTrail(doc), &out)
			if got := srv.hits.Load(); got != tt.wantHits {
				t.Errorf("TSA asked %d times, want %d", got, tt.wantHits)
			}
			if tt.wantErr {
				if !errors.Is(err, seal.ErrTimestamp) {
					t.Fatalf("error %v, want ErrTimestamp", err)
				}
				if out.Len() != 0 {
					t.Fatalf("wrote %d bytes of a seal without its timestamp", out.Len())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !res.Timestamped || !res.SealedAt.Equal(srv.at) {
				t.Errorf("result %+v, want timestamped at %v", res, srv.at)
			}
			path := writeFile(t, "sealed.pdf", out.Bytes())
			checkSealed(t, path)
			if text := pdftotext(t, path); !bytes.Contains([]byte(text), []byte("RFC 3161 timestamp from "+srv.URL)) {
				t.Errorf("the trail does not name the TSA")
			}
			v, err := seal.VerifyWith(bytes.NewReader(out.Bytes()), seal.VerifyOptions{TSARoots: srv.ca.pool})
			if err != nil || !v.Intact || !v.Timestamped || !v.SignedAt.Equal(srv.at) || !v.TimestampSigner.Equal(srv.cert) {
				t.Fatalf("VerifyWith the TSA's root: %v %+v", err, v)
			}
			// The system's roots do not know the test TSA: the seal holds, its time is
			// the sealer's claim.
			v, err = seal.Verify(bytes.NewReader(out.Bytes()))
			if err != nil || !v.Intact || v.Timestamped || !v.SignedAt.Equal(sealedAt) || v.TimestampSigner != nil {
				t.Fatalf("Verify: %v %+v", err, v)
			}
			if !strings.Contains(v.Reason, "by the sealer's clock; its timestamp is not from a trusted timestamp authority") {
				t.Errorf("reason %q", v.Reason)
			}
		})
	}
}

// TestSealRefusesAnUntrustedTimestamp: a TSA reached over plain HTTP can be anyone, so a
// reply Verify would not trust is a failed try, and no seal goes out without a trusted
// timestamp.
func TestSealRefusesAnUntrustedTimestamp(t *testing.T) {
	defer seal.SetTSABackoff(time.Millisecond)()
	tests := []struct {
		name      string
		kind      tsaKind
		trustRoot bool
	}{
		{"a token without certificates", tsaNoCerts, true},
		{"a self-made TSA certificate", tsaSelfSigned, true},
		{"a certificate not for timestamping", tsaNotForStamping, true},
		{"a corrupt signature", tsaBadSignature, true},
		{"a good TSA under a root the sealer does not trust", tsaGood, false},
	}
	doc := makePDF([]testPage{textPage("Engagement letter")})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newTSAOf(t, tt.kind, 0)
			s := sealer(t)
			s.TSA, s.TSATries = srv.URL, 2
			if tt.trustRoot {
				s.TSARoots = srv.ca.pool
			}
			var out bytes.Buffer
			_, err := s.Seal(context.Background(), bytes.NewReader(doc), nil, sampleTrail(doc), &out)
			if !errors.Is(err, seal.ErrTimestamp) {
				t.Fatalf("error %v, want ErrTimestamp", err)
			}
			if got := srv.hits.Load(); got != 2 {
				t.Errorf("TSA asked %d times, want 2", got)
			}
			if out.Len() != 0 {
				t.Fatalf("wrote %d bytes of a seal with an untrusted timestamp", out.Len())
			}
		})
	}
}

func TestTimestampStopsWhenTheContextEnds(t *testing.T) {
	defer seal.SetTSABackoff(time.Hour)()
	srv := newTSA(t, 100)
	s := sealer(t)
	s.TSA, s.TSATries = srv.URL, 5
	doc := makePDF([]testPage{textPage("Engagement letter")})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Seal(ctx, bytes.NewReader(doc), nil, sampleTrail(doc), io.Discard)
	if !errors.Is(err, seal.ErrTimestamp) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want ErrTimestamp and the deadline", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("took %v: the wait between tries ignored the context", time.Since(start))
	}
}
