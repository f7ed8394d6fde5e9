// Package blobs keeps file contents on portald's disk, each named by its SHA-256, and takes
// them in: resumably from desktops over tus, and streamed from clients' browsers. Which firm
// may read which blob is the database's business, not this package's.
package blobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"portico/backend/api"
)

// ErrTooLarge is a file over the size limit.
var ErrTooLarge = errors.New("the file is larger than the portal accepts")

// ErrMismatch is content whose SHA-256 is not the one announced.
var ErrMismatch = errors.New("the file's content does not match its SHA-256")

// Store is a directory of blobs (blobs/ab/<sha256>) and of uploads in progress (uploads/).
// Both live on one file system, so a finished upload becomes a blob by a rename.
type Store struct {
	dir string
}

// Open makes the directories under dir when they are missing.
func Open(dir string) (*Store, error) {
	for _, d := range []string{"blobs", "uploads"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("blob store: %w", err)
		}
	}
	return &Store{dir: dir}, nil
}

func (s *Store) path(sha string) string {
	return filepath.Join(s.dir, "blobs", sha[:2], sha)
}

func (s *Store) uploads() string { return filepath.Join(s.dir, "uploads") }

// Open opens a blob for reading; the caller closes it.
func (s *Store) Open(sha string) (*os.File, error) {
	if !api.ValidSHA256(sha) {
		return nil, fmt.Errorf("blob %q: %w", sha, os.ErrNotExist)
	}
	return os.Open(s.path(sha))
}

// Has tells whether the blob's bytes are on disk.
func (s *Store) Has(sha string) bool {
	if !api.ValidSHA256(sha) {
		return false
	}
	_, err := os.Stat(s.path(sha))
	return err == nil
}

// adopt makes the finished file at tmp the blob sha: a rename, or nothing but removing tmp
// when the blob is there already (same name, same bytes). The bytes and the rename reach the
// disk before it returns: the caller records the blob next, and a desktop told its upload is
// done never sends it again, so a power cut must not leave a row without its bytes.
func (s *Store) adopt(tmp, sha string) error {
	dst := s.path(sha)
	if _, err := os.Stat(dst); err == nil {
		return os.Remove(tmp)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("storing blob: %w", err)
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return fmt.Errorf("storing blob: %w", err)
	}
	if err := syncFile(dir); err != nil && runtime.GOOS != "windows" { // Windows cannot flush a directory, nor needs to
		return fmt.Errorf("storing blob: %w", err)
	}
	return nil
}

// syncFile flushes a file, or a directory's entries, to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Ingest streams r into a new blob, hashing as it writes, and returns its SHA-256 and size.
// More than max bytes is ErrTooLarge and leaves nothing behind.
func (s *Store) Ingest(ctx context.Context, r io.Reader, max int64) (sha string, size int64, err error) {
	f, err := os.CreateTemp(s.uploads(), "ingest-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob store: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, r}, max+1))
	if err != nil {
		return "", 0, err
	}
	if size > max {
		return "", 0, ErrTooLarge
	}
	if err = f.Close(); err != nil {
		return "", 0, fmt.Errorf("blob store: %w", err)
	}
	sha = hex.EncodeToString(h.Sum(nil))
	return sha, size, s.adopt(f.Name(), sha)
}

// ctxReader stops a long copy when the request ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
