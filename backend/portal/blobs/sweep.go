package blobs

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// UploadLife is how long an upload may go without a byte before it is dropped: a desktop
// whose answer was lost, or that was refused on a full disk, starts a new one.
var UploadLife = 7 * 24 * time.Hour

// Sweep removes uploads (and interrupted browser uploads) untouched since before now minus
// life, and returns how many it removed.
func (s *Store) Sweep(now time.Time, life time.Duration) (int, error) {
	entries, err := os.ReadDir(s.uploads())
	if err != nil {
		return 0, err
	}
	// An upload is its id, id.info and id.sha256: the newest of them says when it was touched.
	touched := map[string]time.Time{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue // gone meanwhile: finished
		}
		id := e.Name()
		for _, ext := range []string{".sha256.tmp", ".sha256", ".info"} {
			id = strings.TrimSuffix(id, ext)
		}
		if t := info.ModTime(); t.After(touched[id]) {
			touched[id] = t
		}
	}
	removed := 0
	for id, t := range touched {
		if now.Sub(t) < life {
			continue
		}
		for _, ext := range []string{"", ".info", ".sha256", ".sha256.tmp"} {
			if err := os.Remove(filepath.Join(s.uploads(), id+ext)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, err
			}
		}
		removed++
	}
	return removed, nil
}

// RunSweeper sweeps every hour until ctx ends.
func (s *Store) RunSweeper(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := s.Sweep(time.Now(), UploadLife); err != nil {
			log.Warn("blobs: sweeping old uploads", "err", err)
		} else if n > 0 {
			log.Info("blobs: dropped uploads untouched for a week", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
