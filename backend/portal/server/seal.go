package server

import (
	"context"
	"errors"
	"net/http"

	"portico/backend/api"
	"portico/backend/portal/sealing"
)

// FirmSeals is the firms' sealing certificates; nil: the portal does not seal. Upload
// refuses a file it cannot use with a *sealing.BadCertificateError saying why.
type FirmSeals interface {
	Describe(ctx context.Context, firmID, firmName string) (api.SealCert, error)
	Upload(ctx context.Context, firmID, firmName string, p12 []byte, password string) (api.SealCert, error)
}

func (s *Server) sealCert(w http.ResponseWriter, r *http.Request) {
	dev := deviceOf(r)
	c, err := s.Seals.Describe(r.Context(), dev.Firm.ID, dev.Firm.Name)
	if err != nil {
		s.internal(w, "firm seal", err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// uploadSeal replaces the firm's generated certificate with its own, from a PKCS#12 file.
func (s *Server) uploadSeal(w http.ResponseWriter, r *http.Request) {
	var in api.SealUpload
	if !readJSON(w, r, 2*api.MaxPKCS12, &in) {
		return
	}
	if len(in.PKCS12) == 0 || len(in.PKCS12) > api.MaxPKCS12 {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "choose a .p12 or .pfx file of at most 64 KB")
		return
	}
	dev := deviceOf(r)
	c, err := s.Seals.Upload(r.Context(), dev.Firm.ID, dev.Firm.Name, in.PKCS12, in.Password)
	var bad *sealing.BadCertificateError
	if errors.As(err, &bad) {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, bad.Error())
		return
	}
	if err != nil {
		s.internal(w, "firm seal upload", err)
		return
	}
	s.Log.Info("firm seal uploaded", "firm", dev.Firm.ID, "subject", c.Subject, "by", dev.Staff.Email)
	writeJSON(w, http.StatusOK, c)
}
