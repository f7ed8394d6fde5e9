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
	"sync/atomic"
	"testing"
	"time"

	"github.com/digitorus/timestamp"

	"portico/backend/api"
	"portico/backend/seal"
)

// tsa is an RFC 3161 timestamp authority on loopback, signing with its own key. It
// answers HTTP 500 to the first failFirst requests.
type tsa struct {
	*httptest.Server
	hits      atomic.Int32
	failFirst int32
	at        time.Time
}

func newTSA(t *testing.T, failFirst int32) *tsa {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Test TSA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	s := &tsa{failFirst: failFirst, at: time.Date(2025, 3, 1, 14, 2, 13, 0, time.UTC)}
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
		ts := timestamp.Timestamp{
			HashAlgorithm: req.HashAlgorithm, HashedMessage: req.HashedMessage, Nonce: req.Nonce,
			Time: s.at, Policy: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, AddTSACertificate: req.Certificates,
		}
		resp, err := ts.CreateResponseWithOpts(cert, key, crypto.SHA256)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(resp)
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
			s.TSA, s.TSATries = srv.URL, tt.tries
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
			v, err := seal.Verify(bytes.NewReader(out.Bytes()))
			if err != nil || !v.Timestamped || !v.SignedAt.Equal(srv.at) {
				t.Fatalf("Verify: %v %+v", err, v)
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
