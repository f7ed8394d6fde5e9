package seal_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/seal"
)

func TestNewCertificateIsForSigningDocuments(t *testing.T) {
	now := time.Now()
	f := firm(t)
	c := f.cert
	if c.Subject.CommonName != "Ledger & Lamp CPA" || c.Issuer.String() != c.Subject.String() {
		t.Errorf("subject %q issuer %q", c.Subject, c.Issuer)
	}
	if c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
		t.Errorf("key usage %b, want digitalSignature and nonRepudiation only", c.KeyUsage)
	}
	if c.IsCA {
		t.Error("a firm certificate must not be a CA")
	}
	if len(c.ExtKeyUsage) != 1 || c.ExtKeyUsage[0] != x509.ExtKeyUsageEmailProtection {
		t.Errorf("EKU %v, want email protection", c.ExtKeyUsage)
	}
	var docSigning bool
	for _, oid := range c.UnknownExtKeyUsage {
		docSigning = docSigning || oid.String() == "1.3.6.1.5.5.7.3.36"
	}
	if !docSigning {
		t.Error("no RFC 9336 document-signing EKU")
	}
	if k, ok := f.key.Public().(*rsa.PublicKey); !ok || k.N.BitLen() != 3072 {
		t.Errorf("key %T, want RSA 3072", f.key.Public())
	}
	if c.NotBefore.After(now) || c.NotAfter.Before(now.AddDate(9, 0, 0)) {
		t.Errorf("valid %v to %v", c.NotBefore, c.NotAfter)
	}
	if _, _, err := seal.NewCertificate("  ", now); err == nil {
		t.Error("a certificate without a firm name")
	}
}

func TestCertificateAndKeyPEMRoundTrip(t *testing.T) {
	f := firm(t)
	keyPEM, err := seal.EncodeKeyPEM(f.key)
	if err != nil {
		t.Fatal(err)
	}
	key, err := seal.DecodeKeyPEM(keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	cert, chain, err := seal.DecodeCertificatePEM(seal.EncodeCertificatePEM(f.cert))
	if err != nil {
		t.Fatal(err)
	}
	if !cert.Equal(f.cert) || len(chain) != 0 || !key.Public().(*rsa.PublicKey).Equal(f.key.Public()) {
		t.Fatal("round trip changed the certificate or key")
	}
	if _, err := seal.DecodeKeyPEM([]byte("nothing")); err == nil {
		t.Error("no error for data without a key")
	}
}

// openssl runs the openssl command line in dir.
func openssl(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestLoadPKCS12FromACertificateAuthority reads .p12 files as OpenSSL 3 writes them
// (AES) and as older tools do (3DES), with an ECDSA key issued by a CA, and seals with it.
func TestLoadPKCS12FromACertificateAuthority(t *testing.T) {
	requireTool(t, "openssl")
	dir := t.TempDir()
	openssl(t, dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
		"-subj", "/CN=Test Signing CA", "-days", "30", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
	openssl(t, dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "firm.key", "-out", "firm.csr", "-subj", "/CN=Oak & Ash Tax LLP")
	if err := os.WriteFile(filepath.Join(dir, "ext.cnf"), []byte("keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	openssl(t, dir, "x509", "-req", "-in", "firm.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "firm.pem", "-days", "30", "-extfile", "ext.cnf")
	openssl(t, dir, "pkcs12", "-export", "-inkey", "firm.key", "-in", "firm.pem", "-certfile", "ca.pem", "-out", "modern.p12", "-passout", "pass:hunter2")
	openssl(t, dir, "pkcs12", "-export", "-inkey", "firm.key", "-in", "firm.pem", "-certfile", "ca.pem", "-out", "legacy.p12", "-passout", "pass:hunter2",
		"-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1")

	for _, name := range []string{"modern.p12", "legacy.p12"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, _, err := seal.LoadPKCS12(data, "wrong"); err == nil || !strings.Contains(err.Error(), "password") {
				t.Errorf("wrong password: %v", err)
			}
			cert, key, chain, err := seal.LoadPKCS12(data, "hunter2")
			if err != nil {
				t.Fatal(err)
			}
			if cert.Subject.CommonName != "Oak & Ash Tax LLP" || len(chain) != 1 || chain[0].Subject.CommonName != "Test Signing CA" {
				t.Fatalf("cert %q chain %d", cert.Subject.CommonName, len(chain))
			}
			if _, ok := key.Public().(*ecdsa.PublicKey); !ok {
				t.Fatalf("key %T", key.Public())
			}
			doc := makePDF([]testPage{textPage("Engagement letter")})
			s := seal.Sealer{Cert: cert, Key: key, Chain: chain}
			var out bytes.Buffer
			values := []seal.Value{{Box: api.Box{X: 0.1, Y: 0.8, W: 0.4, H: 0.06}, Type: api.FieldSignature, Text: "Ana Oak"}}
			if _, err := s.Seal(context.Background(), bytes.NewReader(doc), values, seal.Trail{Document: "Letter"}, &out); err != nil {
				t.Fatal(err)
			}
			path := writeFile(t, "sealed.pdf", out.Bytes())
			out2, _ := exec.Command("pdfsig", path).CombinedOutput()
			if !strings.Contains(string(out2), "Signature is Valid.") {
				t.Fatalf("pdfsig:\n%s", out2)
			}
			v, err := seal.Verify(bytes.NewReader(out.Bytes()))
			if err != nil || !v.Signer.Equal(cert) || len(v.Chain) != 1 {
				t.Fatalf("Verify: %v %+v", err, v)
			}
		})
	}
}

func TestSealerRefusesAKeyThatIsNotTheCertificates(t *testing.T) {
	f := firm(t)
	_, other, err := seal.NewCertificate("Someone Else", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := seal.Sealer{Cert: f.cert, Key: other}
	doc := makePDF([]testPage{textPage("x")})
	_, err = s.Seal(context.Background(), bytes.NewReader(doc), nil, seal.Trail{}, &bytes.Buffer{})
	if !errors.Is(err, seal.ErrBadCertificate) {
		t.Fatalf("error %v, want ErrBadCertificate", err)
	}
}
