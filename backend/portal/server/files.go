package server

import (
	"context"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/tus/tusd/v2/pkg/handler"

	"portico/backend/api"
	"portico/backend/portal/blobs"
	"portico/backend/portal/db"
)

// uploads is the tus endpoint for desktops: only signed-in devices, and each only on its
// own firm's uploads.
func (s *Server) uploads() (http.Handler, error) {
	max := s.MaxFileSize
	if max <= 0 {
		max = api.MaxFileSize
	}
	tus, err := s.Blobs.Tus(blobs.TusConfig{
		BasePath: api.PathUploads,
		MaxSize:  max,
		Create: func(ctx context.Context, _ handler.HTTPRequest) (string, error) {
			// tusd hands hooks a context that keeps the request's values.
			dev, ok := ctx.Value(deviceKey{}).(db.Device)
			if !ok {
				return "", handler.NewError("ERR_UNAUTHORIZED", "sign in first", http.StatusUnauthorized)
			}
			return dev.Firm.ID, nil
		},
		Finished: func(ctx context.Context, firmID, sha string, size int64) error {
			return s.DB.AddBlob(ctx, firmID, sha, size)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.device(func(w http.ResponseWriter, r *http.Request) {
		if id := strings.TrimPrefix(r.URL.Path, api.PathUploads); id != "" && r.Method != http.MethodOptions {
			if s.Blobs.UploadFirm(r.Context(), path.Base(id)) != deviceOf(r).Firm.ID {
				writeError(w, http.StatusNotFound, "", "no such upload")
				return
			}
		}
		http.StripPrefix(api.PathUploads, tus).ServeHTTP(w, r)
	}), nil
}

// blob answers whether the firm has a blob (HEAD) and streams it (GET, with ranges so an
// interrupted download resumes).
func (s *Server) blob(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	dev := deviceOf(r)
	_, ok, err := s.DB.HasBlob(r.Context(), dev.Firm.ID, sha)
	if err != nil {
		s.internal(w, "blob", err)
		return
	}
	if !ok || !api.ValidSHA256(sha) {
		writeError(w, http.StatusNotFound, "", "no such file content")
		return
	}
	f, err := s.Blobs.Open(sha)
	if err != nil {
		s.internal(w, "blob", err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, f)
}
