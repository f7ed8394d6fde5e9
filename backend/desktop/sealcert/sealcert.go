// Package sealcert is the firm's sealing certificate as staff manage it from the desktop:
// what signed documents are sealed with, and replacing the portal's self-signed one with
// the firm's own (a .p12 or .pfx file from a certificate authority). Both need the portal.
package sealcert

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/syncer"
)

// Portal gives a client of the portal's API.
type Portal interface {
	Client(ctx context.Context) (*syncer.Client, error)
}

type Service struct {
	Portal Portal
}

// Current is the certificate in use.
func (s *Service) Current(ctx context.Context) (api.SealCert, error) {
	c, err := s.Portal.Client(ctx)
	if err != nil {
		return api.SealCert{}, err
	}
	return c.SealCert(ctx)
}

// Upload sends the firm's own certificate file; the portal checks it and the password.
func (s *Service) Upload(ctx context.Context, path, password string) (api.SealCert, error) {
	info, err := os.Stat(path)
	if err != nil {
		return api.SealCert{}, invalid.New("Portico cannot read %s: %v", path, err)
	}
	if info.Size() > api.MaxPKCS12 {
		return api.SealCert{}, invalid.New("%s is too large for a certificate file (at most 64 KB)", info.Name())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return api.SealCert{}, invalid.New("Portico cannot read %s: %v", path, err)
	}
	c, err := s.Portal.Client(ctx)
	if err != nil {
		return api.SealCert{}, err
	}
	cert, err := c.UploadSeal(ctx, api.SealUpload{PKCS12: data, Password: password})
	var se *syncer.StatusError
	if errors.As(err, &se) && se.Status == http.StatusBadRequest {
		return api.SealCert{}, invalid.New("the certificate was not accepted: %s", se.Msg)
	}
	if err != nil {
		return api.SealCert{}, fmt.Errorf("the portal did not take the certificate: %w", err)
	}
	return cert, nil
}
