package files

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/store"
)

// Portal is what moving file contents needs from the portal.
type Portal interface {
	HasBlob(ctx context.Context, sha string) (bool, error)
	// CreateUpload starts a resumable upload and returns its URL.
	CreateUpload(ctx context.Context, size int64, sha string) (string, error)
	// SendUpload sends the rest of src from wherever the portal's copy ends; an upload the
	// portal no longer knows is ErrUploadGone.
	SendUpload(ctx context.Context, url string, src io.ReaderAt, size int64, progress func(int64)) error
	// Blob streams a blob from offset on.
	Blob(ctx context.Context, sha string, offset int64) (io.ReadCloser, error)
	// Offline tells an error of the connection (try everything again later) from an error
	// of one file.
	Offline(err error) bool
}

// ErrUploadGone is an upload the portal finished or forgot: ask for the blob instead.
var ErrUploadGone = errors.New("the portal no longer has this upload")

// PermanentError is a refusal that trying again will not change (too large, refused).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// RetryEvery is how often files that failed are tried again.
var RetryEvery = 30 * time.Second

// A file is sent only once it has not changed for CopySettle and no other program holds
// it open for writing: a copy from a network share or a scanner pauses, and half a file
// must never reach the client. It is looked at again every CopyCheck.
var (
	CopySettle = 2 * time.Second
	CopyCheck  = time.Second
)

// errCopying is a file still being written into the folder.
var errCopying = errors.New("the file is still being written (a copy going on, or a program that has it open)")

// Run sends and fetches file contents while the desktop is signed in to the portal.
func (s *Service) Run(ctx context.Context, p Portal) {
	retry := time.NewTicker(RetryEvery)
	defer retry.Stop()
	failures := 0
	for {
		did, err := s.transferSome(ctx, p)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			failures++
			slog.Warn("files: transfer", "err", err)
			if !sleep(ctx, min(time.Duration(failures)*time.Second, 30*time.Second)) {
				return
			}
			continue
		}
		failures = 0
		if did {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-s.kick.C():
		case <-s.nextTry():
		case <-retry.C:
			s.retryFailed(ctx)
		}
	}
}

// nextTry fires when the first file that waits to be tried again is due, nil if none is.
func (s *Service) nextTry() <-chan time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first time.Time
	for _, t := range s.notBefore {
		if first.IsZero() || t.Before(first) {
			first = t
		}
	}
	if first.IsZero() {
		return nil
	}
	return time.After(time.Until(first))
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// kickSoon tells the transfer worker there is work; it never blocks.
func (s *Service) kickSoon() { s.kick.Ring() }

// Kick is kickSoon for the sync engine: changes that need downloads arrived.
func (s *Service) Kick() { s.kickSoon() }

// retryFailed looks again at files that could not be read.
func (s *Service) retryFailed(ctx context.Context) {
	failed, err := s.Store.FilesInState(ctx, 1000, store.FileError)
	if err != nil || len(failed) == 0 {
		return
	}
	var rels []string
	for _, f := range failed {
		if folder, ok := s.folderOf(f.ClientID); ok {
			rels = append(rels, filepath.Join(folder, filepath.FromSlash(f.Path)))
		}
	}
	if err := s.Scan(ctx, rels); err != nil {
		slog.Warn("files: retrying", "err", err)
	}
}

// Transfers is how many files move at once. Small files are bound by round trips and by
// the portal flushing each one to disk, not by the line: several in flight overlap those
// waits. A few large ones share the line as well as one does.
var Transfers = 4

// transferSome does one batch of uploads and downloads; did tells whether there was any.
// A file that fails for its own reasons waits RetryEvery and does not hold up the others;
// when the portal is unreachable, nothing more is started and everything waits.
func (s *Service) transferSome(ctx context.Context, p Portal) (did bool, err error) {
	if err := s.foldersLoaded(ctx); err != nil {
		return false, err
	}
	work, err := s.Store.FilesInState(ctx, 100, store.FileWaiting, store.FileUploading, store.FileDownloading)
	if err != nil {
		return false, err
	}
	now := time.Now()
	s.forgetWaitsBut(work)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		stopped error // the first error that stops the batch
	)
	slots := make(chan struct{}, Transfers)
	for _, f := range work {
		if s.waiting(f.ID, now) {
			continue
		}
		slots <- struct{}{}
		mu.Lock()
		stop := stopped != nil
		mu.Unlock()
		if stop {
			<-slots
			break
		}
		did = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			if err := s.transferOne(ctx, p, f, now); err != nil {
				mu.Lock()
				if stopped == nil {
					stopped = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return did, stopped
}

// transferOne moves one file and deals with its failure; it returns only the errors that
// stop every transfer (the portal unreachable, ctx ended).
func (s *Service) transferOne(ctx context.Context, p Portal, f store.File, now time.Time) error {
	var err error
	if f.State == store.FileDownloading {
		err = s.download(ctx, p, f)
	} else {
		err = s.upload(ctx, p, f)
	}
	var perm *PermanentError
	switch {
	case err == nil:
	case errors.Is(err, errCopying):
		s.retryLater(f.ID, now.Add(CopyCheck))
	case ctx.Err() != nil || p.Offline(err):
		return err
	case errors.As(err, &perm) && f.State != store.FileDownloading:
		// Staff see why; a change to the file (or the periodic retry) tries again.
		s.setError(ctx, f, store.FileError, perm.Error())
	default:
		slog.Warn("files: transfer of one file", "path", f.Path, "err", err)
		s.retryLater(f.ID, now.Add(RetryEvery))
		s.setError(ctx, f, f.State, err.Error())
	}
	return nil
}

// waiting tells whether a file that failed is still waiting to be tried again.
func (s *Service) waiting(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.notBefore[id]
	if ok && !now.Before(t) {
		delete(s.notBefore, id)
		return false
	}
	return ok
}

// forgetWaitsBut drops the waits of files no longer in work (deleted, moved to the trash,
// done): a wait due and never consumed would wake the worker at once, again and again.
func (s *Service) forgetWaitsBut(work []store.File) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.notBefore) == 0 {
		return
	}
	keep := make(map[string]bool, len(work))
	for _, f := range work {
		keep[f.ID] = true
	}
	for id := range s.notBefore {
		if !keep[id] {
			delete(s.notBefore, id)
		}
	}
}

func (s *Service) retryLater(id string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.notBefore == nil {
		s.notBefore = map[string]time.Time{}
	}
	s.notBefore[id] = at
}

// setError records why a file did not move, unless staff changed it meanwhile.
func (s *Service) setError(ctx context.Context, f store.File, state, why string) {
	s.updateIf(ctx, f, func(now *store.File) { now.State, now.Error = state, why })
	s.changed(f.ClientID)
}

// updateIf changes the file's row only if it is still the file that was read (same path,
// same content, not in the trash): staff may have moved, changed or deleted it while it was
// being sent or fetched, and their write wins.
func (s *Service) updateIf(ctx context.Context, f store.File, change func(*store.File)) (bool, error) {
	var ok bool
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		now, err := tx.File(ctx, f.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if now.Path != f.Path || now.SHA256 != f.SHA256 || now.TrashedAt != nil {
			return nil
		}
		change(&now)
		ok = true
		return tx.PutFile(ctx, now)
	})
	return ok, err
}

// upload sends one file's content unless the portal has it, then queues its file.put.
func (s *Service) upload(ctx context.Context, p Portal, f store.File) error {
	// The batch was read a while ago: staff may have moved or deleted this one since.
	f, err := s.Store.File(ctx, f.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.TrashedAt != nil || !visiblePath(f.Path) || (f.State != store.FileWaiting && f.State != store.FileUploading) {
		return nil
	}
	abs, err := s.AbsPath(ctx, f.ID)
	if err != nil {
		return err
	}
	file, err := os.Open(abs)
	if errors.Is(err, fs.ErrNotExist) {
		// Moved or gone: the scan sorts it out; until then it waits like any failed file.
		s.Scan(ctx, []string{s.rel(abs)})
		return errors.New("the file is not where it was")
	}
	if err != nil {
		return &PermanentError{fmt.Errorf("cannot read the file: %s", reason(err))}
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return err
	}
	if info.Size() != f.Size || info.ModTime().UnixNano() != f.ModTime {
		// Changed since it was hashed: hash it again, and it comes back here.
		file.Close()
		return s.Scan(ctx, []string{s.rel(abs)})
	}
	if s.copying(file, info) {
		if f.Error != errCopying.Error() {
			s.setError(ctx, f, f.State, errCopying.Error())
		}
		return errCopying
	}
	has, err := p.HasBlob(ctx, f.SHA256)
	if err != nil {
		return err
	}
	if !has {
		if err := s.send(ctx, p, &f, file); err != nil {
			return err
		}
	}
	// The file on disk, not its row, decides: a copy that went on while it was sent is
	// hashed again and sent again, and this version is never shown.
	if after, err := os.Stat(abs); err != nil || after.Size() != f.Size || after.ModTime().UnixNano() != f.ModTime {
		file.Close()
		return s.Scan(ctx, []string{s.rel(abs)})
	}
	if heldForWriting(file) {
		if f.Error != errCopying.Error() {
			s.setError(ctx, f, f.State, errCopying.Error())
		}
		return errCopying
	}
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		now, err := tx.File(ctx, f.ID)
		if err != nil {
			return err
		}
		// Staff moved or changed it meanwhile: that write decides what happens next.
		if now.SHA256 != f.SHA256 || now.Path != f.Path || now.TrashedAt != nil || !visiblePath(now.Path) {
			return nil
		}
		now.State, now.Error, now.Sent, now.UploadURL, now.UploadSHA, now.OnPortal = store.FileSynced, "", now.Size, "", "", true
		if err := s.appendPut(ctx, tx, now, true, false); err != nil {
			return err
		}
		return tx.PutFile(ctx, now)
	})
	if err == nil {
		s.changed(f.ClientID)
	}
	return err
}

// copying tells a file still being written into the folder: changed within CopySettle, or
// held open for writing by another program. A time in the future (a copy that kept another
// clock's time) is not a copy going on.
func (s *Service) copying(f *os.File, info fs.FileInfo) bool {
	age := time.Since(info.ModTime())
	return age >= 0 && age < CopySettle || heldForWriting(f)
}

// send runs the resumable upload of f, recording its URL first so that a restart resumes it.
func (s *Service) send(ctx context.Context, p Portal, f *store.File, src *os.File) error {
	if f.UploadSHA != f.SHA256 {
		f.UploadURL = ""
	}
	if f.UploadURL == "" {
		url, err := p.CreateUpload(ctx, f.Size, f.SHA256)
		if err != nil {
			return err
		}
		f.UploadURL, f.UploadSHA, f.Sent = url, f.SHA256, 0
	}
	f.State = store.FileUploading
	url, sha := f.UploadURL, f.UploadSHA
	if ok, err := s.updateIf(ctx, *f, func(now *store.File) {
		now.State, now.UploadURL, now.UploadSHA, now.Sent, now.Error = store.FileUploading, url, sha, f.Sent, ""
	}); err != nil || !ok {
		return err // staff changed it: the next batch sees their version
	}
	s.changed(f.ClientID)
	var last time.Time
	progress := func(n int64) {
		if time.Since(last) < 250*time.Millisecond && n < f.Size {
			return
		}
		last = time.Now()
		s.Store.SetFileProgress(context.WithoutCancel(ctx), f.ID, n)
		s.changed(f.ClientID)
	}
	err := p.SendUpload(ctx, f.UploadURL, src, f.Size, progress)
	if errors.Is(err, ErrUploadGone) {
		// Finished before the answer was lost, or expired: the blob says which.
		if has, herr := p.HasBlob(ctx, f.SHA256); herr == nil && has {
			return nil
		}
		s.updateIf(ctx, *f, func(now *store.File) { now.UploadURL, now.UploadSHA, now.State = "", "", store.FileWaiting })
		return fmt.Errorf("upload of %s restarts: %w", path.Base(f.Path), err)
	}
	return err
}

// rel is an absolute path inside the library, relative to it.
func (s *Service) rel(abs string) string {
	r, _ := filepath.Rel(s.Root, abs)
	return r
}

// download fetches a file the client sent (or another desktop shared) into its folder,
// resuming a partial download, checking the hash, and recording the file before it appears
// under its name so that the watcher sees nothing new.
func (s *Service) download(ctx context.Context, p Portal, f store.File) error {
	f, err := s.Store.File(ctx, f.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if f.TrashedAt != nil || f.State != store.FileDownloading {
		return nil
	}
	read := f // as the database has it: the row is only updated if it still is
	folder, ok := s.folderOf(f.ClientID)
	if !ok {
		if err := s.EnsureFolders(ctx); err != nil {
			return err
		}
		if folder, ok = s.folderOf(f.ClientID); !ok {
			return &PermanentError{fmt.Errorf("client %s has no folder", f.ClientID)}
		}
	}
	dst := filepath.Join(s.Root, folder, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return &PermanentError{diskError(err)}
	}
	tmp := filepath.Join(filepath.Dir(dst), ".portico-"+f.ID+".part")
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return &PermanentError{err}
	}
	offset, err := out.Seek(0, io.SeekEnd)
	if err != nil || offset > f.Size {
		out.Truncate(0)
		offset, _ = out.Seek(0, io.SeekStart)
	}
	if offset < f.Size {
		body, err := p.Blob(ctx, f.SHA256, offset)
		if err != nil {
			out.Close()
			return err
		}
		_, err = io.Copy(out, body)
		body.Close()
		if err != nil {
			out.Close()
			if isDiskFull(err) {
				os.Remove(tmp)
				return &PermanentError{diskError(err)}
			}
			return err // the next try resumes from here
		}
	}
	if err := out.Close(); err != nil {
		return &PermanentError{diskError(err)}
	}
	if sha, err := hashFile(tmp); err != nil || sha != f.SHA256 {
		os.Remove(tmp)
		return fmt.Errorf("downloaded %s does not match its SHA-256; fetching it again", path.Base(f.Path))
	}
	info, err := os.Stat(tmp)
	if err != nil {
		return err
	}
	// A newer version replaces the one both sides last agreed on, which goes to the trash.
	// Anything else under that name (changed here meanwhile, or the same name from both
	// sides) stays, and this copy goes beside it, named for where it came from.
	var previous *store.File
	if existing, err := os.Lstat(dst); err == nil && !existing.IsDir() {
		switch sha, _ := hashFile(dst); {
		case sha == f.SHA256:
		case sha != "" && sha == f.Replaces:
			previous = &store.File{ID: ulid.Make().String(), ClientID: f.ClientID, Path: f.Path, SHA256: sha,
				Size: existing.Size(), ModTime: existing.ModTime().UnixNano(), Source: f.Source, AddedBy: f.AddedBy,
				AddedAt: f.AddedAt, State: store.FileLocal}
		default:
			dst = s.conflictName(dst, f)
			rel, _ := filepath.Rel(filepath.Join(s.Root, folder), dst)
			f.Path = filepath.ToSlash(rel)
		}
	}
	placed := f
	placed.State, placed.Error, placed.Size, placed.ModTime, placed.Sent = store.FileSynced, "", info.Size(), info.ModTime().UnixNano(), info.Size()
	placed.Replaces = ""
	var current bool
	if err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		now, err := tx.File(ctx, f.ID)
		if err != nil || now.Path != read.Path || now.SHA256 != read.SHA256 || now.TrashedAt != nil {
			return nil // deleted or changed while it came down: theirs wins, this copy goes
		}
		// Another row may hold the path (the old copy being replaced): this one takes it.
		if old, ok, err := tx.FileAt(ctx, f.ClientID, placed.Path); err == nil && ok && old.ID != f.ID {
			if err := tx.DeleteFile(ctx, old.ID); err != nil {
				return err
			}
		}
		current = true
		if previous == nil {
			return tx.PutFile(ctx, placed)
		}
		// Saved over since it was hashed: not the agreed version any more. The next try
		// sees what it is now.
		if info, err := os.Lstat(dst); err != nil || info.Size() != previous.Size || info.ModTime().UnixNano() != previous.ModTime {
			return errChangedMeanwhile
		}
		if err := s.trashInTx(ctx, tx, *previous); err != nil {
			return err
		}
		if err := tx.PutFile(ctx, placed); err != nil {
			os.Rename(filepath.Join(s.Root, filepath.FromSlash(path.Join(TrashDir, previous.ID, path.Base(previous.Path)))), dst)
			return err
		}
		return nil
	}); err != nil {
		return err
	}
	if !current {
		os.Remove(tmp)
		return nil
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	s.changed(f.ClientID)
	return nil
}

// errChangedMeanwhile is a file saved over while its newer version came down.
var errChangedMeanwhile = errors.New("the file changed here while its newer version came; trying again")

// conflictName is "name (from Client, 2026-11-26).ext", free in dst's folder.
func (s *Service) conflictName(dst string, f store.File) string {
	return freeName(s.marked(dst, f.Source))
}

// marked is p with where it came from and today's date before its extension.
func (s *Service) marked(p, source string) string {
	ext := filepath.Ext(p)
	who := "from Client"
	if source == api.SourceFirm {
		who = "from the firm"
	}
	return fmt.Sprintf("%s (%s, %s)%s", strings.TrimSuffix(p, ext), who, s.Now().Format(time.DateOnly), ext)
}

// freePath is p inside a client's folder, or p marked as the other side's copy when a file
// (known or only on disk) has that name already: same name from both sides keeps both.
func (s *Service) freePath(ctx context.Context, tx *store.Tx, clientID, p, source string) (string, error) {
	folder, _ := s.folderOf(clientID)
	taken := func(c string) (bool, error) {
		if _, ok, err := tx.FileAt(ctx, clientID, c); err != nil || ok {
			return ok, err
		}
		_, err := os.Lstat(filepath.Join(s.Root, folder, filepath.FromSlash(c)))
		return err == nil, nil
	}
	if t, err := taken(p); err != nil || !t {
		return p, err
	}
	base := s.marked(p, source)
	c := base
	for n := 2; ; n++ {
		if t, err := taken(c); err != nil || !t {
			return c, err
		}
		ext := path.Ext(base)
		c = fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(base, ext), n, ext)
	}
}

// Pulled tells the Files tabs of the clients whose files the feed just touched.
func (s *Service) Pulled() {
	s.mu.Lock()
	ids := make([]string, 0, len(s.applied))
	for id := range s.applied {
		ids = append(ids, id)
	}
	clear(s.applied)
	s.mu.Unlock()
	s.changed(ids...)
}

// Acked tells the Files tab that the portal now has what these ops described: "waiting"
// becomes "synced" (or "error" for a refusal, which also arrives here).
func (s *Service) Acked(ops []store.Op) {
	touched := map[string]bool{}
	for _, op := range ops {
		if op.Kind != api.KindFilePut {
			continue
		}
		var f api.File
		if json.Unmarshal(op.Data, &f) == nil && f.ClientID != "" {
			touched[f.ClientID] = true
		}
	}
	ids := make([]string, 0, len(touched))
	for id := range touched {
		ids = append(ids, id)
	}
	s.changed(ids...)
}

// Apply writes a file.put from the feed: a client's upload to fetch, another desktop's
// share, a delete, or the echo of this desktop's own op.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	var in api.File
	if err := json.Unmarshal(ch.Data, &in); err != nil {
		return fmt.Errorf("change %d: %w", ch.Seq, err)
	}
	bad := in.Check()
	if _, err := ulid.ParseStrict(ch.EntityID); err != nil {
		bad = errors.New("its id is not a ULID") // ids name folders in the trash: never a path
	}
	if bad != nil {
		slog.Warn("files: skipping a file the portal described badly", "seq", ch.Seq, "why", bad)
		return nil
	}
	s.mu.Lock()
	if s.applied == nil {
		s.applied = map[string]bool{}
	}
	s.applied[in.ClientID] = true
	s.mu.Unlock()
	row, err := tx.File(ctx, ch.EntityID)
	if errors.Is(err, store.ErrNotFound) {
		if in.Deleted || !in.Visible {
			return nil
		}
		p := path.Join(SharedDir, in.Dir, in.Name)
		if in.Source == api.SourceClient {
			p = path.Join(FromClientDir, in.Name)
		}
		if p, err = s.freePath(ctx, tx, in.ClientID, p, in.Source); err != nil {
			return err
		}
		s.kickSoon()
		return tx.PutFile(ctx, store.File{ID: ch.EntityID, ClientID: in.ClientID, Path: p, SHA256: in.SHA256, Size: in.Size,
			Source: in.Source, AddedBy: in.AddedBy, TodoID: in.TodoID, AddedAt: ch.At, State: store.FileDownloading, OnPortal: true})
	}
	if err != nil {
		return err
	}
	switch {
	case row.State == store.FileWaiting || row.State == store.FileUploading:
		return nil // changed here since: this desktop's next op decides
	case in.Deleted && row.TrashedAt == nil && row.OnPortal:
		// Deleted on another desktop: to this desktop's trash too.
		return s.trashInTx(ctx, tx, row)
	case !in.Deleted && in.SHA256 != row.SHA256 && row.TrashedAt == nil:
		// A newer version from another desktop. Only a synced file is the version both last
		// agreed on; a download still coming never landed, and a file in error holds a
		// change of this desktop's that never reached the portal: it stays beside.
		switch row.State {
		case store.FileSynced:
			row.Replaces = row.SHA256
		case store.FileDownloading:
		default:
			row.Replaces = ""
		}
		row.SHA256, row.Size, row.State, row.OnPortal = in.SHA256, in.Size, store.FileDownloading, in.Visible
		s.kickSoon()
		return tx.PutFile(ctx, row)
	}
	return nil
}

// trashInTx moves a file to the trash while a transaction records it.
func (s *Service) trashInTx(ctx context.Context, tx *store.Tx, f store.File) error {
	folder, ok := s.folderOf(f.ClientID)
	if !ok {
		return nil
	}
	rel := path.Join(TrashDir, f.ID, path.Base(f.Path))
	dst := filepath.Join(s.Root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := os.Rename(filepath.Join(s.Root, folder, filepath.FromSlash(f.Path)), dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	now := s.Now().UTC()
	f.TrashedAt, f.TrashPath, f.OnPortal = &now, rel, false
	return tx.PutFile(ctx, f)
}
