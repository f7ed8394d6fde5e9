package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/store"
	"portico/backend/desktop/watch"
)

// locate maps a path relative to the library to a client and the path inside its folder.
func (s *Service) locate(rel string) (clientID, inner string, ok bool) {
	rel = filepath.ToSlash(filepath.Clean(rel))
	if rel == "." || strings.HasPrefix(rel, "../") {
		return "", "", false
	}
	folder, inner, _ := strings.Cut(rel, "/")
	clientID, ok = s.clientOfFolder(folder)
	return clientID, inner, ok
}

// skipped names are never files of a client: temporary and system files, and ours.
func skipped(name string) bool {
	return watch.Ignored(name) || strings.HasPrefix(name, ".portico-")
}

// Scan looks at paths relative to the library (files or folders, present or gone) and brings
// the database in line with the disk. It is what the watcher's batches feed.
func (s *Service) Scan(ctx context.Context, rels []string) error {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	if err := s.foldersLoaded(ctx); err != nil {
		return err
	}
	type place struct{ client, inner, abs string }
	var present, gone []place
	for _, rel := range coverOnce(rels) {
		client, inner, ok := s.locate(rel)
		if !ok {
			continue
		}
		abs := filepath.Join(s.Root, filepath.FromSlash(rel))
		info, err := os.Lstat(abs)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			gone = append(gone, place{client, inner, abs})
		case err != nil:
			continue // unreadable folder: the next rescan tries again
		case info.IsDir():
			filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
				if err != nil || p == abs {
					return nil
				}
				if skipped(d.Name()) {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if d.Type().IsRegular() {
					r, _ := filepath.Rel(s.Root, p)
					_, in, _ := s.locate(r)
					present = append(present, place{client, in, p})
				}
				return nil
			})
			// Whatever the database has below this folder and the disk does not is gone.
			gone = append(gone, place{client, inner, abs})
		case info.Mode().IsRegular() && !skipped(info.Name()):
			present = append(present, place{client, inner, abs})
		}
	}
	touched := map[string]bool{}
	for _, p := range present {
		changed, err := s.check(ctx, p.client, p.inner, p.abs)
		if err != nil {
			return err
		}
		if changed {
			touched[p.client] = true
		}
	}
	for _, g := range gone {
		n, err := s.vanish(ctx, g.client, g.inner)
		if err != nil {
			return err
		}
		if n > 0 {
			touched[g.client] = true
		}
	}
	ids := make([]string, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	s.changed(ids...)
	return nil
}

// coverOnce drops the paths inside another path of the list: scanning a folder covers what
// is in it (a new client folder arrives with its two subfolders).
func coverOnce(rels []string) []string {
	sorted := slices.Clone(rels)
	for i := range sorted {
		sorted[i] = filepath.Clean(sorted[i])
	}
	slices.Sort(sorted)
	out := sorted[:0]
	for _, r := range sorted {
		if n := len(out); n > 0 && (r == out[n-1] || strings.HasPrefix(r, out[n-1]+string(filepath.Separator))) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Rescan checks every client folder: at start-up and when the watcher lost events.
func (s *Service) Rescan(ctx context.Context) error {
	if err := s.EnsureFolders(ctx); err != nil {
		return err
	}
	if err := s.loadFolders(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	folders := make([]string, 0, len(s.folders))
	for _, f := range s.folders {
		folders = append(folders, f)
	}
	s.mu.Unlock()
	if err := makeDirs(s.Root, folders); err != nil { // put back what someone removed
		return err
	}
	return s.Scan(ctx, folders)
}

// check records one file that is on disk; true when the database changed.
func (s *Service) check(ctx context.Context, clientID, inner, abs string) (bool, error) {
	info, err := os.Stat(abs)
	if err != nil {
		return false, nil // gone again already: its own event follows
	}
	row, known, err := s.Store.FileAt(ctx, clientID, inner)
	if err != nil {
		return false, err
	}
	mod := info.ModTime().UnixNano()
	if known && (row.State == store.FileDownloading ||
		row.SHA256 != "" && row.Size == info.Size() && row.ModTime == mod && row.State != store.FileError) {
		return false, nil // unchanged, or what sync itself is writing
	}
	sha, err := hashFile(abs)
	if err != nil {
		// Locked (Excel holds its files open on Windows) or unreadable: say so, try later.
		if !known {
			row = s.newRow(clientID, inner)
		}
		row.State, row.Error = store.FileError, "cannot read the file: "+reason(err)
		return true, s.Store.WithTx(ctx, func(tx *store.Tx) error { return tx.PutFile(ctx, row) })
	}
	if !known {
		if moved, ok, err := s.movedHere(ctx, clientID, sha); err != nil {
			return false, err
		} else if ok {
			row, known = moved, true // its path is still the old one: placed sees the move
		}
	}
	if !known {
		row = s.newRow(clientID, inner)
	}
	sameContent := known && row.SHA256 == sha && row.State != store.FileError
	row.SHA256, row.Size, row.ModTime, row.Error = sha, info.Size(), mod, ""
	return true, s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if sameContent && row.Path == inner && (row.State == store.FileSynced || row.State == store.FileLocal) {
			return tx.PutFile(ctx, row) // touched, not changed
		}
		row.Path = inner
		return s.placed(ctx, tx, &row)
	})
}

func (s *Service) newRow(clientID, inner string) store.File {
	return store.File{ID: ulid.Make().String(), ClientID: clientID, Path: inner, Source: api.SourceFirm,
		AddedBy: s.staff(), AddedAt: s.Now().UTC(), State: store.FileLocal}
}

// movedHere finds the file that was renamed or moved to a new path: same client, same
// content, and its old path gone from disk.
func (s *Service) movedHere(ctx context.Context, clientID, sha string) (store.File, bool, error) {
	same, err := s.Store.FilesWithSHA(ctx, clientID, sha)
	if err != nil {
		return store.File{}, false, err
	}
	folder, _ := s.folderOf(clientID)
	for _, f := range same {
		if f.State == store.FileDownloading {
			continue
		}
		if _, err := os.Lstat(filepath.Join(s.Root, folder, filepath.FromSlash(f.Path))); errors.Is(err, fs.ErrNotExist) {
			return f, true, nil
		}
	}
	return store.File{}, false, nil
}

// MoveGrace is how long a file gone from its path waits to be found elsewhere (a move shows
// as a delete and a create, perhaps in two batches) before it counts as deleted.
var MoveGrace = 3 * time.Second

// vanish notes files at or below inner that are no longer on disk. They are not deleted
// yet: settleMissing does that once MoveGrace has passed without them turning up elsewhere.
func (s *Service) vanish(ctx context.Context, clientID, inner string) (int, error) {
	folder, _ := s.folderOf(clientID)
	// A missing client folder is a library that moved or a drive not mounted, not a deletion.
	if _, err := os.Stat(filepath.Join(s.Root, folder)); err != nil {
		return 0, nil
	}
	rows, err := s.Store.FilesUnder(ctx, clientID, inner)
	if err != nil {
		return 0, err
	}
	now := s.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.missing == nil {
		s.missing = map[string]time.Time{}
	}
	for _, f := range rows {
		if f.State == store.FileDownloading {
			continue
		}
		if _, err := os.Lstat(filepath.Join(s.Root, folder, filepath.FromSlash(f.Path))); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if _, ok := s.missing[f.ID]; !ok {
			s.missing[f.ID] = now
		}
	}
	return 0, nil
}

// settleMissing deletes what has been missing longer than grace and did not turn up under
// another path: someone deleted it in Explorer or Finder (their trash has it). The portal
// hides what the client could see.
func (s *Service) settleMissing(ctx context.Context, grace time.Duration) error {
	now := s.Now()
	s.mu.Lock()
	var due []string
	for id, since := range s.missing {
		if now.Sub(since) >= grace {
			due = append(due, id)
			delete(s.missing, id)
		}
	}
	s.mu.Unlock()
	touched := map[string]bool{}
	for _, id := range due {
		f, err := s.Store.File(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		folder, ok := s.folderOf(f.ClientID)
		if !ok || f.TrashedAt != nil || f.State == store.FileDownloading {
			continue
		}
		if _, err := os.Lstat(filepath.Join(s.Root, folder, filepath.FromSlash(f.Path))); !errors.Is(err, fs.ErrNotExist) {
			continue // moved here, or back
		}
		err = s.Store.WithTx(ctx, func(tx *store.Tx) error { return s.forget(ctx, tx, f) })
		if err != nil {
			return err
		}
		touched[f.ClientID] = true
	}
	for id := range touched {
		s.changed(id)
	}
	return nil
}

// hashFile reads a file once, streaming.
func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
