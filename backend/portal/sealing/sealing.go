// Package sealing finishes eSignature packets on the portal: once every signer has signed,
// it stamps their values onto the original PDF, appends the audit trail and seals the result
// under the firm's certificate. It also sends reminders and ends packets past their due day.
package sealing

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
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/blobs"
	"portico/backend/portal/db"
	"portico/backend/portal/esign"
	"portico/backend/seal"
	"portico/backend/wakeup"
)

// BadCertificateError is a certificate file the portal cannot use; its text says why.
type BadCertificateError struct{ Err error }

func (e *BadCertificateError) Error() string { return e.Err.Error() }
func (e *BadCertificateError) Unwrap() error { return e.Err }

// SignedDir is the folder of the client's files that sealed documents go to.
const SignedDir = "Signed"

type Worker struct {
	DB    *db.DB
	Blobs *blobs.Store
	Keys  *auth.Sealer // encrypts the firms' private keys at rest
	Log   *slog.Logger
	// TSA is an RFC 3161 timestamp authority to countersign seals; "" for none. A seal
	// whose timestamp fails is retried later, never made without it.
	TSA      string
	TSATries int
	// TSARoots are roots the timestamp authority may chain to besides the system's (a
	// private TSA); verifying trusts the same.
	TSARoots *x509.CertPool
	// Every is how often reminders, expiry and failed seals are looked at.
	Every time.Duration

	kick wakeup.Bell
}

// Kick says a packet may be ready to seal.
func (w *Worker) Kick() { w.kick.Ring() }

// Run seals ready packets as they come and sends reminders on schedule, until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	every := w.Every
	if every <= 0 {
		every = time.Minute
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	if err := w.EnsureFirmSeals(ctx); err != nil {
		w.Log.Error("sealing: firm certificates", "err", err)
	}
	for {
		w.SealReady(ctx)
		select {
		case <-ctx.Done():
			return
		case <-w.kick.C():
		case <-tick.C:
			if reminded, expired, err := w.packets().RemindAndExpire(ctx); err != nil {
				w.Log.Error("esign: reminders", "err", err)
			} else if reminded+expired > 0 {
				w.Log.Info("esign: reminders", "sent", reminded, "expired", expired)
			}
		}
	}
}

// SealReady seals every packet whose try is due. A failed try keeps its reason for staff
// and is tried again after a pause, up to esign.SealTries; a document that crashes the
// sealer fails its own packet at once and never the process.
func (w *Worker) SealReady(ctx context.Context) {
	jobs, err := w.packets().SealJobs(ctx, 20)
	if err != nil {
		w.Log.Error("sealing: jobs", "err", err)
		return
	}
	for _, j := range jobs {
		tries, err := w.packets().ClaimSeal(ctx, j)
		if err != nil {
			if !errors.Is(err, esign.ErrPacketEnded) {
				w.Log.Error("sealing: claim", "packet", j.PacketID, "err", err)
			}
			continue
		}
		_, err = w.sealRecovering(ctx, j)
		if err == nil || ctx.Err() != nil {
			continue
		}
		var crash *crashError
		// A panic, or a document the sealer refuses, will fail the same way next time.
		final := errors.As(err, &crash) || seal.IsDocumentError(err)
		w.Log.Error("sealing failed", "firm", j.FirmID, "packet", j.PacketID, "try", tries, "final", final, "err", err)
		if crash != nil {
			w.Log.Error("sealing crashed", "packet", j.PacketID, "stack", crash.stack)
		}
		if err := w.packets().SealFailed(ctx, j, err.Error(), final); err != nil {
			w.Log.Error("sealing: record failure", "err", err)
		}
	}
}

// crashError is a panic inside sealing one document: that document is at fault, so it is
// not tried again.
type crashError struct {
	value any
	stack string
}

func (e *crashError) Error() string { return fmt.Sprintf("the PDF made the sealer fail (%v)", e.value) }

func (w *Worker) packets() esign.Packets { return esign.Packets{DB: w.DB} }

func (w *Worker) sealRecovering(ctx context.Context, j db.SealJob) (id string, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &crashError{value: v, stack: string(debug.Stack())}
		}
	}()
	return w.Seal(ctx, j)
}

// Seal makes one packet's sealed PDF, stores it and completes the packet.
func (w *Worker) Seal(ctx context.Context, j db.SealJob) (string, error) {
	signer, err := w.FirmSealer(ctx, j.FirmID, j.FirmName)
	if err != nil {
		return "", err
	}
	orig, err := w.Blobs.Open(j.Packet.SHA256)
	if err != nil {
		return "", fmt.Errorf("the original document: %w", err)
	}
	defer orig.Close()
	out, err := os.CreateTemp("", "portico-sealed-*.pdf")
	if err != nil {
		return "", err
	}
	defer os.Remove(out.Name())
	defer out.Close()
	if _, err := signer.Seal(ctx, orig, Values(j), Trail(j), out); err != nil {
		return "", err
	}
	if _, err := out.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	sha, size, err := w.Blobs.Ingest(ctx, out, api.MaxFileSize)
	if err != nil {
		return "", fmt.Errorf("store the sealed document: %w", err)
	}
	f := api.File{ClientID: j.Packet.ClientID, Dir: SignedDir, Name: SignedName(j.Packet.Title), SHA256: sha, Size: size,
		Modified: time.Now().UTC(), Source: api.SourceFirm, AddedBy: "Portico eSign", Visible: true}
	id, err := w.packets().Sealed(ctx, j, f)
	if errors.Is(err, esign.ErrPacketEnded) {
		return "", nil // voided while sealing: the seal is not used
	}
	return id, err
}

// SignedName is the sealed document's file name.
func SignedName(title string) string {
	base := strings.TrimSuffix(strings.TrimSpace(title), ".pdf")
	base = strings.TrimSuffix(base, ".PDF")
	return api.SafeName(base + " (signed).pdf")
}

// Values are the signers' values, placed where staff put the fields.
func Values(j db.SealJob) []seal.Value {
	var out []seal.Value
	for _, f := range j.Packet.Fields {
		v, ok := j.Values[f.ID]
		if !ok {
			continue
		}
		out = append(out, seal.Value{Box: f.Box, Type: f.Type, Text: v.Text, Image: v.Image})
	}
	return out
}

// Trail is the packet's audit trail.
func Trail(j db.SealJob) seal.Trail {
	t := seal.Trail{Document: j.Packet.Title, PacketID: j.PacketID, Firm: j.FirmName, OriginalSHA256: j.Packet.SHA256}
	for _, e := range j.Events {
		t.Events = append(t.Events, seal.Event{At: e.At, What: e.What, Who: e.Who, IP: e.IP, UserAgent: e.UserAgent, Detail: e.Detail})
	}
	return t
}

// FirmSealer is the firm's certificate and key, made on first use for a firm that has none.
func (w *Worker) FirmSealer(ctx context.Context, firmID, firmName string) (seal.Sealer, error) {
	rec, cert, chain, err := w.firmSeal(ctx, firmID, firmName)
	if err != nil {
		return seal.Sealer{}, err
	}
	keyDER, err := w.Keys.Open(rec.KeySealed, []byte("seal:"+firmID))
	if err != nil {
		return seal.Sealer{}, fmt.Errorf("firm %s key: %w", firmID, err)
	}
	key, err := x509.ParsePKCS8PrivateKey(keyDER)
	if err != nil {
		return seal.Sealer{}, fmt.Errorf("firm %s key: %w", firmID, err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return seal.Sealer{}, fmt.Errorf("firm %s key cannot sign", firmID)
	}
	return seal.Sealer{Cert: cert, Key: signer, Chain: chain, TSA: w.TSA, TSATries: w.TSATries, TSARoots: w.TSARoots}, nil
}

// firmSeal is the firm's stored certificate and its chain, made first for a firm that has none.
func (w *Worker) firmSeal(ctx context.Context, firmID, firmName string) (db.SealRecord, *x509.Certificate, []*x509.Certificate, error) {
	rec, err := w.DB.FirmSeal(ctx, firmID)
	if errors.Is(err, db.ErrNotFound) {
		if err := w.NewFirmSeal(ctx, firmID, firmName); err != nil {
			return rec, nil, nil, err
		}
		rec, err = w.DB.FirmSeal(ctx, firmID)
	}
	if err != nil {
		return rec, nil, nil, err
	}
	cert, chain, err := seal.DecodeCertificatePEM([]byte(rec.CertPEM + rec.ChainPEM))
	if err != nil {
		return rec, nil, nil, fmt.Errorf("firm %s certificate: %w", firmID, err)
	}
	return rec, cert, chain, nil
}

// NewFirmSeal makes a firm's own self-signed sealing certificate.
func (w *Worker) NewFirmSeal(ctx context.Context, firmID, firmName string) error {
	cert, key, err := seal.NewCertificate(firmName, time.Now())
	if err != nil {
		return err
	}
	return w.store(ctx, firmID, cert, key, nil, "generated")
}

// UploadFirmSeal replaces a firm's certificate with one from a PKCS#12 file. A file that
// cannot be used is a *BadCertificateError saying why.
func (w *Worker) UploadFirmSeal(ctx context.Context, firmID string, p12 []byte, password string) (*x509.Certificate, error) {
	cert, key, chain, err := seal.LoadPKCS12(p12, password)
	if err != nil {
		return nil, &BadCertificateError{Err: err}
	}
	if time.Now().After(cert.NotAfter) {
		return nil, &BadCertificateError{Err: fmt.Errorf("this certificate expired on %s", cert.NotAfter.Format(time.DateOnly))}
	}
	return cert, w.store(ctx, firmID, cert, key, chain, "uploaded")
}

// Describe is the firm's sealing certificate, made first if the firm has none.
func (w *Worker) Describe(ctx context.Context, firmID, firmName string) (api.SealCert, error) {
	rec, cert, _, err := w.firmSeal(ctx, firmID, firmName)
	if err != nil {
		return api.SealCert{}, err
	}
	sum := sha256.Sum256(cert.Raw)
	return api.SealCert{Subject: cert.Subject.String(), Issuer: cert.Issuer.String(), NotAfter: cert.NotAfter,
		SHA256: hex.EncodeToString(sum[:]), Source: rec.Source, SelfSigned: bytes.Equal(cert.RawIssuer, cert.RawSubject)}, nil
}

// Upload is UploadFirmSeal for the sync API: it answers with the certificate now in use.
func (w *Worker) Upload(ctx context.Context, firmID, firmName string, p12 []byte, password string) (api.SealCert, error) {
	if _, err := w.UploadFirmSeal(ctx, firmID, p12, password); err != nil {
		return api.SealCert{}, err
	}
	return w.Describe(ctx, firmID, firmName)
}

func (w *Worker) store(ctx context.Context, firmID string, cert *x509.Certificate, key crypto.Signer, chain []*x509.Certificate, source string) error {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	var chainPEM []byte
	if len(chain) > 0 {
		chainPEM = seal.EncodeCertificatePEM(chain[0], chain[1:]...)
	}
	return w.DB.SetFirmSeal(ctx, firmID, string(seal.EncodeCertificatePEM(cert)), string(chainPEM),
		w.Keys.Seal(der, []byte("seal:"+firmID)), source)
}

// EnsureFirmSeals gives every firm without a certificate its own.
func (w *Worker) EnsureFirmSeals(ctx context.Context) error {
	firms, err := w.DB.FirmsWithoutSeal(ctx)
	if err != nil {
		return err
	}
	for _, f := range firms {
		if err := w.NewFirmSeal(ctx, f.ID, f.Name); err != nil {
			return fmt.Errorf("firm %s: %w", f.Name, err)
		}
	}
	return nil
}

// Verdict is what the portal can say of a PDF someone hands it.
type Verdict struct {
	seal.Verdict
	Firm string // the firm whose certificate sealed it; "" when not one of this portal's
}

// Verify says whether a PDF is an intact document sealed by one of this portal's firms.
func (w *Worker) Verify(ctx context.Context, r io.ReadSeeker) (Verdict, error) {
	return Verify(ctx, w.DB, r, w.TSARoots)
}

// Verify is Worker.Verify for the command line, which has no worker. A timestamp counts when
// its authority chains to the system's roots or to tsaRoots.
func Verify(ctx context.Context, d *db.DB, r io.ReadSeeker, tsaRoots *x509.CertPool) (Verdict, error) {
	v, err := seal.VerifyWith(r, seal.VerifyOptions{TSARoots: tsaRoots})
	out := Verdict{Verdict: v}
	if err != nil {
		// Not intact, not sealed or not a PDF: a verdict, not a failure to check.
		if out.Reason == "" {
			out.Reason = err.Error()
		}
		out.Intact = false
		return out, nil
	}
	if v.Signer == nil {
		return out, nil
	}
	// Stored certificates are PEM of their raw bytes, so equal certificates are equal text.
	out.Firm, err = d.FirmOfSealCert(ctx, string(seal.EncodeCertificatePEM(v.Signer)))
	return out, err
}
