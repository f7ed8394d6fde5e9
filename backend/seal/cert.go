package seal

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// ErrBadCertificate means a certificate or key the firm supplied cannot sign documents.
var ErrBadCertificate = errors.New("the certificate cannot be used to sign documents")

// Extended key usages a document-signing certificate carries. Acrobat accepts a signing
// certificate whose EKU list includes email protection or Adobe Authentic Documents
// Trust; NSS (behind poppler's pdfsig) checks for email protection; RFC 9336's document
// signing is what newer validators (pdfsign's verify among them) look for.
var (
	oidEKUDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}
	oidEKUAdobeAuthentic  = asn1.ObjectIdentifier{1, 2, 840, 113583, 1, 1, 5}
)

// certificateValidity is how long a generated firm certificate is good for. A sealed
// document stays verifiable after it expires (the signature proves integrity, and a
// timestamp proves when), so the period only bounds how long a stolen key could seal.
const certificateValidity = 10 * 365 * 24 * time.Hour

// NewCertificate makes a self-signed document-signing certificate for a firm.
//
// The key is RSA 3072 with SHA-256. RSA is the one algorithm every PDF validator
// handles: Acrobat and Reader of any age, poppler/NSS (pdfsig), pdfcpu, pdfsign and the
// EU DSS. ECDSA P-256 is smaller and faster but older Readers and some validators reject
// it, and a sealed document must verify for years in whatever the client opens it with.
// 3072 bits rather than 2048 because NIST SP 800-57 retires 2048-bit RSA after 2030,
// within the life of the certificate and its documents; the cost (a second to generate
// once per firm, a few milliseconds per seal) does not matter here.
func NewCertificate(firmName string, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	firmName = strings.TrimSpace(firmName)
	if firmName == "" {
		return nil, nil, errors.New("seal: a certificate needs the firm's name")
	}
	key, err := rsa.GenerateKey(rand.Reader, 3072)
	if err != nil {
		return nil, nil, fmt.Errorf("seal: generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("seal: serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial.Add(serial, big.NewInt(1)), // positive and never zero
		Subject: pkix.Name{
			CommonName:   firmName,
			Organization: []string{firmName},
		},
		NotBefore: now.Add(-time.Hour).UTC(), // tolerate a clock a little behind
		NotAfter:  now.Add(certificateValidity).UTC(),
		// Signing only: nonRepudiation (contentCommitment) says the firm stands behind
		// what it seals, which Acrobat and EU validators look for on signing certificates.
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidEKUDocumentSigning, oidEKUAdobeAuthentic},
		BasicConstraintsValid: true,
		IsCA:                  false,
		SignatureAlgorithm:    x509.SHA256WithRSA,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("seal: create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("seal: parse certificate: %w", err)
	}
	return cert, key, nil
}

// LoadPKCS12 reads a certificate and key the firm uploads as a .p12/.pfx file, with the
// rest of its chain (issuer first). Both modern files (AES, as OpenSSL 3, Windows and
// macOS write them) and legacy ones (3DES/RC2) are read.
func LoadPKCS12(data []byte, password string) (*x509.Certificate, crypto.Signer, []*x509.Certificate, error) {
	key, cert, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, nil, nil, fmt.Errorf("seal: the password for the certificate file is wrong: %w", err)
		}
		return nil, nil, nil, fmt.Errorf("seal: read the certificate file: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, nil, fmt.Errorf("seal: %w: unsupported key type %T", ErrBadCertificate, key)
	}
	if err := checkSigningPair(cert, signer); err != nil {
		return nil, nil, nil, err
	}
	return cert, signer, chain, nil
}

// checkSigningPair says whether cert and key can seal: the key must be the
// certificate's, of a kind PDF signatures use, and the certificate must allow signing.
func checkSigningPair(cert *x509.Certificate, key crypto.Signer) error {
	if cert == nil || key == nil {
		return fmt.Errorf("seal: %w: certificate or key missing", ErrBadCertificate)
	}
	switch pub := key.Public().(type) {
	case *rsa.PublicKey:
		if pub.N.BitLen() < 2048 {
			return fmt.Errorf("seal: %w: RSA key of %d bits, 2048 at least", ErrBadCertificate, pub.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if pub.Curve != elliptic.P256() && pub.Curve != elliptic.P384() && pub.Curve != elliptic.P521() {
			return fmt.Errorf("seal: %w: unsupported elliptic curve", ErrBadCertificate)
		}
	default:
		return fmt.Errorf("seal: %w: unsupported key type %T", ErrBadCertificate, pub)
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return fmt.Errorf("seal: %w: the key does not belong to the certificate", ErrBadCertificate)
	}
	if cert.KeyUsage != 0 && cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return fmt.Errorf("seal: %w: its key usage does not allow signatures", ErrBadCertificate)
	}
	return nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	ka, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ka.Equal(b)
}

// PEM block types of the storage helpers.
const (
	pemCertificate = "CERTIFICATE"
	pemPrivateKey  = "PRIVATE KEY"
)

// EncodeCertificatePEM returns cert and then chain as PEM "CERTIFICATE" blocks.
func EncodeCertificatePEM(cert *x509.Certificate, chain ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range append([]*x509.Certificate{cert}, chain...) {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: pemCertificate, Bytes: c.Raw})...)
	}
	return out
}

// DecodeCertificatePEM reads what EncodeCertificatePEM wrote: the certificate and its
// chain.
func DecodeCertificatePEM(data []byte) (*x509.Certificate, []*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != pemCertificate {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, fmt.Errorf("seal: parse certificate: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, nil, errors.New("seal: no certificate in the PEM data")
	}
	return certs[0], certs[1:], nil
}

// EncodeKeyPEM returns key as an unencrypted PKCS #8 "PRIVATE KEY" block. Callers encrypt
// it before it rests anywhere.
func EncodeKeyPEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("seal: encode key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemPrivateKey, Bytes: der}), nil
}

// DecodeKeyPEM reads a key EncodeKeyPEM wrote (PKCS #8), or a PKCS #1 "RSA PRIVATE KEY"
// or SEC 1 "EC PRIVATE KEY" block as other tools write them.
func DecodeKeyPEM(data []byte) (crypto.Signer, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("seal: no private key in the PEM data")
		}
		var key any
		var err error
		switch block.Type {
		case pemPrivateKey:
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("seal: parse private key: %w", err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("seal: %w: unsupported key type %T", ErrBadCertificate, key)
		}
		return signer, nil
	}
}
