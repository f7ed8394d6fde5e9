package blobs

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tus/tusd/v2/pkg/handler"

	"portico/backend/api"
)

// tusServer is the tus handler on loopback, every upload for firm f1.
func tusServer(t *testing.T) (*Store, *httptest.Server) {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.Tus(TusConfig{BasePath: "/uploads/", MaxSize: 1 << 20,
		Create:   func(context.Context, handler.HTTPRequest) (string, error) { return "f1", nil },
		Finished: func(context.Context, string, string, int64) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/uploads/", h))
	t.Cleanup(srv.Close)
	return s, srv
}

// create starts an upload of size bytes and returns its id.
func create(t *testing.T, srv *httptest.Server, size string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/uploads/", nil)
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Length", size)
	req.Header.Set("Upload-Metadata", api.UploadMetaSHA256+" "+base64.StdEncoding.EncodeToString([]byte(strings.Repeat("ab", 32))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	return path.Base(resp.Header.Get("Location"))
}

// A disk error reaches the desktop in words, without portald's paths.
func TestStorageErrorsKeepPathsToThemselves(t *testing.T) {
	s, srv := tusServer(t)
	id := create(t, srv, "10")
	// The disk is full: Linux's /dev/full answers every write so.
	bin := filepath.Join(s.uploads(), id)
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/full", bin); err != nil {
		t.Skip("needs /dev/full:", err)
	}
	req, _ := http.NewRequest("PATCH", srv.URL+"/uploads/"+id, strings.NewReader("0123456789"))
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Upload-Offset", "0")
	req.Header.Set("Content-Type", "application/offset+octet-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInsufficientStorage || strings.Contains(string(body), s.dir) ||
		!strings.Contains(string(body), "storage is full") {
		t.Fatalf("the answer to a failed write: %d %q", resp.StatusCode, body)
	}

	other := storageError(&fs.PathError{Op: "open", Path: "/srv/portald/files/uploads/x", Err: syscall.EIO})
	var he handler.Error
	if !errors.As(other, &he) || he.HTTPResponse.StatusCode != http.StatusInternalServerError || strings.Contains(other.Error(), "/srv") {
		t.Fatalf("another disk error: %v", other)
	}
}

// Uploads nobody writes to for UploadLife go; the others stay.
func TestSweepDropsForgottenUploads(t *testing.T) {
	s, srv := tusServer(t)
	old, fresh := create(t, srv, "10"), create(t, srv, "10")
	stray := filepath.Join(s.uploads(), "ingest-123")
	os.WriteFile(stray, []byte("half a browser upload"), 0o600)
	then := time.Now().Add(-UploadLife - time.Hour)
	for _, p := range []string{old, old + ".info", "ingest-123"} {
		if err := os.Chtimes(filepath.Join(s.uploads(), p), then, then); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Sweep(time.Now(), UploadLife)
	if err != nil || n != 2 {
		t.Fatalf("Sweep = %d, %v; want 2", n, err)
	}
	if s.UploadFirm(context.Background(), old) != "" {
		t.Fatal("the old upload is still known")
	}
	if s.UploadFirm(context.Background(), fresh) != "f1" {
		t.Fatal("the fresh upload was dropped")
	}
	if _, err := os.Stat(stray); !os.IsNotExist(err) {
		t.Fatalf("the stray browser upload stayed: %v", err)
	}
}

// Upload-Metadata and Upload-Length come from any signed-in desktop: any values get an
// answer in words (never a 500, never a panic), and only a valid SHA-256 makes an upload.
func FuzzTusCreate(f *testing.F) {
	s, err := Open(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	h, err := s.Tus(TusConfig{BasePath: "/uploads/", MaxSize: 1 << 20,
		Create:   func(context.Context, handler.HTTPRequest) (string, error) { return "f1", nil },
		Finished: func(context.Context, string, string, int64) error { return nil }})
	if err != nil {
		f.Fatal(err)
	}
	valid := api.UploadMetaSHA256 + " " + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("ab", 32)))
	for _, seed := range [][2]string{{valid, "10"}, {valid, "-1"}, {valid, "99999999999999999999"}, {"", "10"},
		{api.UploadMetaSHA256 + " !!!", "1"}, {valid + ",portico-firm " + base64.StdEncoding.EncodeToString([]byte("other")), "3"},
		{"a,b,,c d e", ""}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, meta, length string) {
		req := httptest.NewRequest("POST", "/uploads/", nil)
		req.Header.Set("Tus-Resumable", "1.0.0")
		req.Header.Set("Upload-Length", length)
		req.Header.Set("Upload-Metadata", meta)
		rec := httptest.NewRecorder()
		http.StripPrefix("/uploads/", h).ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusCreated:
			// An empty upload is finished at once: a blob, no upload left.
			id := path.Base(rec.Header().Get("Location"))
			if s.UploadFirm(context.Background(), id) != "f1" && rec.Header().Get("Upload-Offset") != length {
				t.Fatalf("created upload %q is not the firm's", id)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, 460: // 460: content and SHA-256 differ
		default:
			t.Fatalf("Upload-Metadata %q, Upload-Length %q: %d %s", meta, length, rec.Code, rec.Body)
		}
	})
}
