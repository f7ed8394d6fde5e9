package blobs

import (
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"syscall"

	"github.com/tus/tusd/v2/pkg/filestore"
	"github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	xslog "golang.org/x/exp/slog" // tusd's logger type

	"portico/backend/api"
)

// Upload-Metadata key the portal sets itself when an upload is created: which firm it is
// for. A device of another firm cannot touch the upload even knowing its id.
const MetaFirm = "portico-firm"

// TusConfig is what portald decides about desktop uploads.
type TusConfig struct {
	BasePath string
	MaxSize  int64
	// Create runs before an upload is made: it checks the request and returns the firm the
	// upload belongs to.
	Create func(ctx context.Context, r handler.HTTPRequest) (firmID string, err error)
	// Finished runs once the bytes are checked and stored as a blob.
	Finished func(ctx context.Context, firmID, sha string, size int64) error
}

// Tus returns the tus handler that turns desktop uploads into blobs. The SHA-256 is computed
// while the bytes arrive, and its state is saved after each chunk, so a resumed upload is not
// read twice; the upload only becomes a blob when the hash is the one the desktop announced.
func (s *Store) Tus(cfg TusConfig) (*handler.Handler, error) {
	composer := handler.NewStoreComposer()
	composer.UseCore(hashingStore{filestore.New(s.uploads())})
	composer.UseLocker(memorylocker.New())
	return handler.NewHandler(handler.Config{
		// tusd logs a line per request at INFO; its warnings and errors are what operators need.
		Logger:               xslog.New(xslog.NewTextHandler(os.Stderr, &xslog.HandlerOptions{Level: xslog.LevelWarn})),
		StoreComposer:        composer,
		BasePath:             cfg.BasePath,
		MaxSize:              cfg.MaxSize,
		DisableDownload:      true,
		DisableTermination:   true,
		DisableConcatenation: true,
		PreUploadCreateCallback: func(ev handler.HookEvent) (handler.HTTPResponse, handler.FileInfoChanges, error) {
			sha := ev.Upload.MetaData[api.UploadMetaSHA256]
			if !api.ValidSHA256(sha) {
				return handler.HTTPResponse{}, handler.FileInfoChanges{}, handler.NewError("ERR_BAD_METADATA",
					"Upload-Metadata needs sha256: 64 lowercase hex digits", http.StatusBadRequest)
			}
			if ev.Upload.SizeIsDeferred {
				return handler.HTTPResponse{}, handler.FileInfoChanges{}, handler.NewError("ERR_SIZE_REQUIRED",
					"Upload-Length is required", http.StatusBadRequest)
			}
			firm, err := cfg.Create(ev.Context, ev.HTTPRequest)
			if err != nil {
				return handler.HTTPResponse{}, handler.FileInfoChanges{}, err
			}
			return handler.HTTPResponse{}, handler.FileInfoChanges{
				MetaData: handler.MetaData{api.UploadMetaSHA256: sha, MetaFirm: firm},
			}, nil
		},
		PreFinishResponseCallback: func(ev handler.HookEvent) (handler.HTTPResponse, error) {
			sha, err := s.finish(ev.Upload)
			if errors.Is(err, ErrMismatch) {
				return handler.HTTPResponse{}, handler.NewError("ERR_CHECKSUM_MISMATCH", err.Error(), 460)
			}
			if err != nil {
				return handler.HTTPResponse{}, storageError(err)
			}
			return handler.HTTPResponse{}, cfg.Finished(ev.Context, ev.Upload.MetaData[MetaFirm], sha, ev.Upload.Size)
		},
	})
}

// UploadFirm is the firm an upload in progress belongs to, "" when there is no such upload.
func (s *Store) UploadFirm(ctx context.Context, id string) string {
	up, err := (filestore.New(s.uploads())).GetUpload(ctx, id)
	if err != nil {
		return ""
	}
	info, err := up.GetInfo(ctx)
	if err != nil {
		return ""
	}
	return info.MetaData[MetaFirm]
}

// finish checks a complete upload against its announced hash and stores it as a blob.
func (s *Store) finish(info handler.FileInfo) (string, error) {
	bin := info.Storage[filestore.StorageKeyPath]
	want := info.MetaData[api.UploadMetaSHA256]
	got, err := uploadSum(bin, info.Size)
	if err != nil {
		return "", err
	}
	s.forget(bin)
	if got != want {
		os.Remove(bin)
		return "", fmt.Errorf("%w: announced %s, received %s", ErrMismatch, want, got)
	}
	return got, s.adopt(bin, got)
}

// forget removes what tusd keeps beside an upload's bytes.
func (s *Store) forget(bin string) {
	os.Remove(bin + ".info")
	os.Remove(bin + ".sha256")
}

// uploadSum is the SHA-256 of the upload's size bytes: from the saved hash state when it
// covers them all, otherwise read from disk, continuing from the state where it can.
func uploadSum(bin string, size int64) (string, error) {
	h, done := loadHash(bin)
	if done < size {
		f, err := os.Open(bin)
		if err != nil {
			return "", err
		}
		defer f.Close()
		if _, err := io.Copy(h, io.NewSectionReader(f, done, size-done)); err != nil {
			return "", fmt.Errorf("hashing upload: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashingStore is tusd's file store with the SHA-256 computed as chunks are written.
type hashingStore struct{ filestore.FileStore }

func (s hashingStore) NewUpload(ctx context.Context, info handler.FileInfo) (handler.Upload, error) {
	u, err := s.FileStore.NewUpload(ctx, info)
	return hashingUpload{u}, storageError(err)
}

// storageError keeps portald's own paths out of what a desktop is told: a disk error is
// logged whole and answered in words (507 when the disk is full, which the desktop retries).
func storageError(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return err
	}
	slog.Error("blobs: storing an upload", "err", err)
	if errors.Is(err, syscall.ENOSPC) {
		return handler.NewError("ERR_STORAGE_FULL", "the portal's storage is full; the upload resumes later", http.StatusInsufficientStorage)
	}
	return handler.NewError("ERR_STORAGE", "the portal could not store the upload", http.StatusInternalServerError)
}

func (s hashingStore) GetUpload(ctx context.Context, id string) (handler.Upload, error) {
	u, err := s.FileStore.GetUpload(ctx, id)
	return hashingUpload{u}, err
}

type hashingUpload struct{ handler.Upload }

// WriteChunk hashes what it writes when the saved state ends where the chunk starts. When it
// does not (a crash between writing and saving), the state is left behind and finish reads
// the rest from disk instead.
func (u hashingUpload) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	info, err := u.GetInfo(ctx)
	if err != nil {
		return 0, err
	}
	bin := info.Storage[filestore.StorageKeyPath]
	h, done := loadHash(bin)
	if done != offset {
		n, err := u.Upload.WriteChunk(ctx, offset, src)
		return n, storageError(err)
	}
	cnt := &countingWriter{w: h}
	n, werr := u.Upload.WriteChunk(ctx, offset, io.TeeReader(src, cnt))
	if cnt.n == n {
		saveHash(bin, h, offset+n)
	}
	return n, storageError(werr)
}

type countingWriter struct {
	w hash.Hash
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.w.Write(p)
}

// loadHash restores the hash state saved beside an upload and how many bytes it covers; a
// fresh hash and 0 when there is none.
func loadHash(bin string) (hash.Hash, int64) {
	h := sha256.New()
	b, err := os.ReadFile(bin + ".sha256")
	if err != nil || len(b) < 8 {
		return h, 0
	}
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(b[8:]); err != nil {
		return sha256.New(), 0
	}
	return h, int64(binary.BigEndian.Uint64(b[:8]))
}

// saveHash writes the state atomically; losing it only costs a re-read.
func saveHash(bin string, h hash.Hash, done int64) {
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return
	}
	b := binary.BigEndian.AppendUint64(nil, uint64(done))
	tmp := bin + ".sha256.tmp"
	if os.WriteFile(tmp, append(b, state...), 0o600) == nil {
		os.Rename(tmp, filepath.Clean(bin+".sha256"))
	}
}
