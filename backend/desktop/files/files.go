// Package files keeps each client's folder in the firm library and the app in step: what
// staff do in the app happens on disk, what they do on disk shows in the app, and what is
// in "Shared with client" (or came from the client) goes to and from the portal.
package files

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
	"portico/backend/wakeup"
)

// The two folders inside every client's folder that the portal sees.
const (
	SharedDir     = "Shared with client"
	FromClientDir = "From client"
)

// TrashDir is the library's trash, at its top: next to the files, so moving one there is a
// rename, and not a client folder, so nothing in it syncs.
const TrashDir = ".portico-trash"

// TrashDays is how long a deleted file can be restored.
const TrashDays = 30

type Service struct {
	Store *store.Store
	Root  string // the firm library
	Now   func() time.Time
	Wake  func()                   // the pusher: an op is waiting
	Staff func() string            // who is signed in, for "added by"
	Emit  func(clientIDs []string) // files of these clients changed; may be nil

	scanMu       sync.Mutex // one scan at a time: the watcher's and the transfer worker's
	mu           sync.Mutex
	kick         wakeup.Bell          // the transfer worker has work
	clientsDirty chan struct{}        // clients were added: make their folders
	folders      map[string]string    // client id → folder name
	byFolder     map[string]string    // folder name, lower-cased → client id
	applied      map[string]bool      // clients whose files the feed changed, until Pulled
	notBefore    map[string]time.Time // files that failed, and when to try them again
	missing      map[string]time.Time // files gone from their path, since when
}

// View is a file as the client's Files tab shows it.
type View struct {
	store.File
	Name       string `json:"name"`
	Dir        string `json:"dir"` // inside the client's folder, without the shared area
	Visible    bool   `json:"visible"`
	FromClient bool   `json:"fromClient"`
}

func view(f store.File) View {
	v := View{File: f, Name: path.Base(f.Path)}
	area, rest := split(f.Path)
	v.Visible, v.FromClient = area == SharedDir || f.Source == api.SourceClient, area == FromClientDir
	if d := path.Dir(rest); d != "." {
		v.Dir = d
	}
	return v
}

// split cuts a path inside a client's folder into its area (SharedDir, FromClientDir or "")
// and the rest.
func split(p string) (area, rest string) {
	first, after, ok := strings.Cut(p, "/")
	if ok && (strings.EqualFold(first, SharedDir) || strings.EqualFold(first, FromClientDir)) {
		if strings.EqualFold(first, SharedDir) {
			return SharedDir, after
		}
		return FromClientDir, after
	}
	return "", p
}

func visiblePath(p string) bool {
	area, _ := split(p)
	return area == SharedDir
}

// List is a client's files, by path. A file is synced once the portal applied its op:
// until then it is waiting, and an op the portal refused is an error with its reason.
func (s *Service) List(ctx context.Context, clientID string) ([]View, error) {
	fs, err := s.Store.Files(ctx, clientID, false)
	if err != nil {
		return nil, err
	}
	unsent, err := s.Store.UnsentOps(ctx, api.KindFilePut)
	if err != nil {
		return nil, err
	}
	out := make([]View, len(fs))
	for i, f := range fs {
		if why, ok := unsent[f.ID]; ok && (f.State == store.FileSynced || f.State == store.FileLocal) {
			f.State, f.Error = store.FileWaiting, why
			if why != "" {
				f.State = store.FileError
			}
		}
		out[i] = view(f)
	}
	return out, nil
}

// Trash is a client's deleted files that can still be restored, newest first.
func (s *Service) Trash(ctx context.Context, clientID string) ([]View, error) {
	fs, err := s.Store.Files(ctx, clientID, true)
	if err != nil {
		return nil, err
	}
	out := make([]View, len(fs))
	for i, f := range fs {
		out[i] = view(f)
	}
	return out, nil
}

// ClientFolder is the client's folder on disk, made when missing.
func (s *Service) ClientFolder(ctx context.Context, clientID string) (string, error) {
	if err := s.EnsureFolders(ctx); err != nil {
		return "", err
	}
	folder, ok := s.folderOf(clientID)
	if !ok {
		if _, err := s.Store.Client(ctx, clientID); err != nil {
			return "", invalid.New("there is no client %s", clientID)
		}
		return "", invalid.New("the library has a folder named like this client: say whose it is under Settings › Library folders first")
	}
	return filepath.Join(s.Root, folder), nil
}

// AbsPath is where a file is on disk (in the trash for a deleted one).
func (s *Service) AbsPath(ctx context.Context, id string) (string, error) {
	f, err := s.Store.File(ctx, id)
	if err != nil {
		return "", err
	}
	if f.TrashedAt != nil {
		return filepath.Join(s.Root, filepath.FromSlash(f.TrashPath)), nil
	}
	folder, ok := s.folderOf(f.ClientID)
	if !ok {
		return "", fmt.Errorf("client %s has no folder", f.ClientID)
	}
	return filepath.Join(s.Root, folder, filepath.FromSlash(f.Path)), nil
}

// EnsureFolders makes the folder of every client that has none yet, named after the client
// and made safe for every OS; a name taken by another client gets " (2)" and so on. A folder
// already on disk, given to no one and named like the client ("Smith, John" for John Smith),
// waits for staff (see Unmatched): it is not taken, and nothing in it syncs, until they say
// whose it is.
func (s *Service) EnsureFolders(ctx context.Context) error {
	missing, err := s.Store.ClientsWithoutFolder(ctx)
	if err != nil {
		return err
	}
	if err := s.foldersLoaded(ctx); err != nil {
		return err
	}
	if len(missing) == 0 {
		return nil
	}
	skipped, err := s.skipped(ctx)
	if err != nil {
		return err
	}
	taken := s.takenNames()
	unclaimed, err := s.unclaimedDirs(taken, skipped)
	if err != nil {
		return err
	}
	assign := map[string]string{} // client id → folder
	for _, c := range missing {
		if _, ok := suggestFolder(c, unclaimed); ok {
			continue
		}
		base := api.SafeName(c.Name)
		for n := 1; ; n++ {
			name := base
			if n > 1 {
				name = fmt.Sprintf("%s (%d)", base, n)
			}
			l := strings.ToLower(name)
			if l == TrashDir || taken[l] || skipped[l] || unclaimed[l] != "" {
				continue
			}
			taken[l], assign[c.ClientID] = true, name
			break
		}
	}
	made := map[string]string{}
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		clear(made)
		for id, name := range assign {
			ok, err := tx.SetClientFolder(ctx, id, name)
			if err != nil {
				return err
			}
			if ok {
				made[id] = name
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	names := make([]string, 0, len(made))
	s.mu.Lock()
	for id, name := range made {
		s.folders[id], s.byFolder[strings.ToLower(name)] = name, id
		names = append(names, name)
	}
	s.mu.Unlock()
	return makeDirs(s.Root, names)
}

// takenNames is the set of client folder names, lower-cased.
func (s *Service) takenNames() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]bool, len(s.folders))
	for _, f := range s.folders {
		m[strings.ToLower(f)] = true
	}
	return m
}

// unclaimedDirs is the library's top-level folders no client has and staff did not skip:
// lower-cased name → name.
func (s *Service) unclaimedDirs(taken, skipped map[string]bool) (map[string]string, error) {
	entries, err := os.ReadDir(s.Root)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, e := range entries {
		l := strings.ToLower(e.Name())
		if e.IsDir() && !strings.HasPrefix(l, ".") && !taken[l] && !skipped[l] {
			out[l] = e.Name()
		}
	}
	return out, nil
}

// makeDirs makes client folders with the two folders every client has.
func makeDirs(root string, folders []string) error {
	for _, f := range folders {
		// Three mkdirs, not MkdirAll's stats before each: a burst makes tens of thousands.
		for _, d := range []string{f, filepath.Join(f, SharedDir), filepath.Join(f, FromClientDir)} {
			if err := mkdir(filepath.Join(root, d)); err != nil {
				return fmt.Errorf("client folder: %w", err)
			}
		}
	}
	return nil
}

// mkdir makes a directory that may already be there; its parent too, if it is missing.
func mkdir(path string) error {
	err := os.Mkdir(path, 0o755)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		if info, serr := os.Stat(path); serr == nil && info.IsDir() {
			return nil
		}
		return err
	case errors.Is(err, fs.ErrNotExist):
		return os.MkdirAll(path, 0o755)
	}
	return err
}

func (s *Service) loadFolders(ctx context.Context) error {
	all, err := s.Store.ClientFolders(ctx)
	if err != nil {
		return err
	}
	m := make(map[string]string, len(all))
	by := make(map[string]string, len(all))
	for _, f := range all {
		m[f.ClientID] = f.Folder
		by[strings.ToLower(f.Folder)] = f.ClientID
	}
	s.mu.Lock()
	s.folders, s.byFolder = m, by
	s.mu.Unlock()
	return nil
}

// foldersLoaded loads the client folders once.
func (s *Service) foldersLoaded(ctx context.Context) error {
	s.mu.Lock()
	loaded := s.folders != nil
	s.mu.Unlock()
	if loaded {
		return nil
	}
	return s.loadFolders(ctx)
}

func (s *Service) folderOf(clientID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.folders[clientID]
	return f, ok
}

// clientOfFolder finds the client whose folder has this name (as the OS compares names).
func (s *Service) clientOfFolder(folder string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byFolder[strings.ToLower(folder)]
	return id, ok
}

// Add copies files and folders (keeping their structure) into a client's folder: into
// "Shared with client" when visible. A name already there gets " (2)". It returns what was
// added; the watcher would find them too, but staff should see them at once.
func (s *Service) Add(ctx context.Context, clientID string, paths []string, visible bool) ([]View, error) {
	dir, err := s.ClientFolder(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if visible {
		dir = filepath.Join(dir, SharedDir)
	}
	var added []string
	for _, src := range paths {
		info, err := os.Stat(src)
		if err != nil {
			return s.views(ctx, clientID, added), invalid.New("cannot read %s: %v", filepath.Base(src), errors.Unwrap(err))
		}
		dst := freeName(filepath.Join(dir, api.SafeName(filepath.Base(src))))
		if info.IsDir() && within(dst, src) {
			return s.views(ctx, clientID, added), invalid.New("%s holds the client's folder: it cannot be copied into it", filepath.Base(src))
		}
		if info.IsDir() {
			err = copyTree(src, dst)
		} else {
			err = copyFile(src, dst)
		}
		if err != nil {
			return s.views(ctx, clientID, added), fmt.Errorf("adding %s: %w", filepath.Base(src), err)
		}
		rel, _ := filepath.Rel(s.Root, dst)
		added = append(added, rel)
	}
	if err := s.Scan(ctx, added); err != nil {
		return nil, err
	}
	return s.views(ctx, clientID, added), nil
}

// views lists what is now under the given library paths of one client.
func (s *Service) views(ctx context.Context, clientID string, rels []string) []View {
	var out []View
	for _, rel := range rels {
		_, inner, ok := s.locate(rel)
		if !ok {
			continue
		}
		fs, _ := s.Store.FilesUnder(ctx, clientID, inner)
		for _, f := range fs {
			out = append(out, view(f))
		}
	}
	return out
}

// within tells whether p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && filepath.IsLocal(rel) || rel == "."
}

// freeName is p, or p with " (2)", " (3)"… before the extension when p exists.
func freeName(p string) string {
	if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
		return p
	}
	ext := filepath.Ext(p)
	base := strings.TrimSuffix(p, ext)
	for n := 2; ; n++ {
		c := fmt.Sprintf("%s (%d)%s", base, n, ext)
		if _, err := os.Lstat(c); errors.Is(err, os.ErrNotExist) {
			return c
		}
	}
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		parts := strings.Split(rel, string(filepath.Separator))
		for i := range parts {
			if rel != "." {
				parts[i] = api.SafeName(parts[i])
			}
		}
		target := filepath.Join(append([]string{dst}, parts...)...)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil // links and devices are not documents
		}
		return copyFile(p, target)
	})
}

// copyFile copies through a temporary name, so the watcher never reads half a file, and
// keeps the modification time.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(dst), ".portico-"+ulid.Make().String()+".part")
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return diskError(err)
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return diskError(err)
	}
	os.Chtimes(tmp, info.ModTime(), info.ModTime())
	return os.Rename(tmp, dst)
}

// diskError says a full disk in words.
func diskError(err error) error {
	if isDiskFull(err) {
		return invalid.New("the disk is full: free some space and try again")
	}
	return err
}

// SetVisible moves a file into or out of "Shared with client", which is what sharing is.
func (s *Service) SetVisible(ctx context.Context, id string, visible bool) (View, error) {
	f, err := s.Store.File(ctx, id)
	if err != nil {
		return View{}, err
	}
	if f.TrashedAt != nil {
		return View{}, invalid.New("restore the file first")
	}
	area, rest := split(f.Path)
	if area == FromClientDir || f.Source == api.SourceClient {
		return View{}, invalid.New("the client sent this file: they can always see it")
	}
	if (area == SharedDir) == visible {
		return view(f), nil
	}
	to := rest
	if visible {
		to = SharedDir + "/" + rest
	}
	return s.move(ctx, f, to)
}

// Rename gives a file a new name in the same folder.
func (s *Service) Rename(ctx context.Context, id, name string) (View, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return View{}, invalid.New("enter a name")
	}
	if safe := api.SafeName(name); safe != name {
		return View{}, invalid.New("%q cannot be a file name on every computer; try %q", name, safe)
	}
	f, err := s.Store.File(ctx, id)
	if err != nil {
		return View{}, err
	}
	if f.TrashedAt != nil {
		return View{}, invalid.New("restore the file first")
	}
	to := path.Join(path.Dir(f.Path), name)
	if path.Dir(f.Path) == "." {
		to = name
	}
	return s.move(ctx, f, to)
}

// move renames a file on disk and in the database in one step, so the watcher finds both
// in agreement, and tells the portal when what the client sees changed.
func (s *Service) move(ctx context.Context, f store.File, to string) (View, error) {
	folder, ok := s.folderOf(f.ClientID)
	if !ok {
		return View{}, fmt.Errorf("client %s has no folder", f.ClientID)
	}
	from := filepath.Join(s.Root, folder, filepath.FromSlash(f.Path))
	dst := filepath.Join(s.Root, folder, filepath.FromSlash(to))
	if !strings.EqualFold(from, dst) {
		if _, err := os.Lstat(dst); err == nil {
			return View{}, invalid.New("%s already exists there", path.Base(to))
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return View{}, err
	}
	if err := os.Rename(from, dst); err != nil {
		return View{}, fmt.Errorf("moving %s: %w", path.Base(f.Path), err)
	}
	pruneEmpty(filepath.Dir(from), filepath.Join(s.Root, folder))
	f.Path = to
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error { return s.placed(ctx, tx, &f) })
	if err != nil {
		return View{}, err
	}
	s.changed(f.ClientID)
	return view(f), nil
}

// pruneEmpty removes folders a move left empty, from dir up to (not including) stop, and
// never the two folders every client has.
func pruneEmpty(dir, stop string) {
	for dir != stop && strings.HasPrefix(dir, stop+string(filepath.Separator)) {
		if b := filepath.Base(dir); filepath.Dir(dir) == stop && (b == SharedDir || b == FromClientDir) {
			return
		}
		if os.Remove(dir) != nil { // not empty (or not ours to remove): stop here
			return
		}
		dir = filepath.Dir(dir)
	}
}

// placed records a file whose path may have changed and decides what the portal must hear:
// a visible file is (re)sent, a file the client could see and now cannot is hidden there.
func (s *Service) placed(ctx context.Context, tx *store.Tx, f *store.File) error {
	switch {
	case f.Source == api.SourceClient:
		// what the client sent stays theirs to see, wherever staff file it
	case visiblePath(f.Path):
		f.State, f.Error = store.FileWaiting, ""
		s.kickSoon()
	case f.OnPortal:
		f.OnPortal, f.State = false, store.FileLocal
		if err := s.appendPut(ctx, tx, *f, false, false); err != nil {
			return err
		}
	default:
		f.State = store.FileLocal
	}
	return tx.PutFile(ctx, *f)
}

// forget drops a file gone from disk for good (its trash is the file manager's), and has
// the portal hide it when the client could see it.
func (s *Service) forget(ctx context.Context, tx *store.Tx, f store.File) error {
	if f.OnPortal {
		if err := s.appendPut(ctx, tx, f, false, true); err != nil {
			return err
		}
	}
	return tx.DeleteFile(ctx, f.ID)
}

// appendPut queues the file.put op that tells the portal about f.
func (s *Service) appendPut(ctx context.Context, tx *store.Tx, f store.File, visible, deleted bool) error {
	_, rest := split(f.Path)
	dir := path.Dir(rest)
	if dir == "." {
		dir = ""
	}
	data, err := json.Marshal(api.File{ClientID: f.ClientID, Dir: dir, Name: path.Base(f.Path), SHA256: f.SHA256,
		Size: f.Size, Modified: time.Unix(0, f.ModTime).UTC(), Source: f.Source, AddedBy: f.AddedBy,
		Visible: visible, TodoID: f.TodoID, Deleted: deleted})
	if err != nil {
		return err
	}
	if err := tx.AppendOp(ctx, store.Op{ID: ulid.Make().String(), Kind: api.KindFilePut, EntityID: f.ID,
		Data: data, CreatedAt: s.Now()}); err != nil {
		return err
	}
	if s.Wake != nil {
		defer s.Wake()
	}
	return nil
}

// Delete moves a file to the library's trash, where it stays TrashDays days.
func (s *Service) Delete(ctx context.Context, id string) error {
	f, err := s.Store.File(ctx, id)
	if err != nil {
		return err
	}
	if f.TrashedAt != nil {
		return nil
	}
	src, err := s.AbsPath(ctx, id)
	if err != nil {
		return err
	}
	rel := path.Join(TrashDir, f.ID, path.Base(f.Path))
	dst := filepath.Join(s.Root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := os.Rename(src, dst); errors.Is(err, os.ErrNotExist) {
		// Gone already (deleted in the file manager): nothing to restore, so forget it.
		os.Remove(filepath.Dir(dst))
		err = s.Store.WithTx(ctx, func(tx *store.Tx) error { return s.forget(ctx, tx, f) })
		if err == nil {
			s.changed(f.ClientID)
		}
		return err
	} else if err != nil {
		return fmt.Errorf("deleting %s: %w", path.Base(f.Path), err)
	}
	now := s.Now().UTC()
	f.TrashedAt, f.TrashPath = &now, rel
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if f.OnPortal {
			f.OnPortal = false
			if err := s.appendPut(ctx, tx, f, false, true); err != nil {
				return err
			}
		}
		if f.State != store.FileLocal {
			f.State = store.FileSynced
		}
		return tx.PutFile(ctx, f)
	})
	if err == nil {
		s.changed(f.ClientID)
	}
	return err
}

// Restore puts a file from the trash back where it was (with " (2)" if that name is taken).
func (s *Service) Restore(ctx context.Context, id string) (View, error) {
	f, err := s.Store.File(ctx, id)
	if err != nil {
		return View{}, err
	}
	if f.TrashedAt == nil {
		return view(f), nil
	}
	folder, ok := s.folderOf(f.ClientID)
	if !ok {
		return View{}, fmt.Errorf("client %s has no folder", f.ClientID)
	}
	src := filepath.Join(s.Root, filepath.FromSlash(f.TrashPath))
	dst := freeName(filepath.Join(s.Root, folder, filepath.FromSlash(f.Path)))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return View{}, err
	}
	if err := os.Rename(src, dst); err != nil {
		return View{}, fmt.Errorf("restoring %s: %w", path.Base(f.Path), err)
	}
	os.Remove(filepath.Dir(src))
	rel, _ := filepath.Rel(filepath.Join(s.Root, folder), dst)
	f.Path, f.TrashedAt, f.TrashPath = filepath.ToSlash(rel), nil, ""
	err = s.Store.WithTx(ctx, func(tx *store.Tx) error { return s.placed(ctx, tx, &f) })
	if err != nil {
		return View{}, err
	}
	s.changed(f.ClientID)
	return view(f), nil
}

// PurgeTrash removes for good what has been in the trash longer than TrashDays.
func (s *Service) PurgeTrash(ctx context.Context) error {
	old, err := s.Store.TrashedBefore(ctx, s.Now().Add(-TrashDays*24*time.Hour))
	if err != nil {
		return err
	}
	for _, f := range old {
		// Only ever a folder directly in the trash named by a file id: an id is a ULID.
		if _, err := ulid.ParseStrict(f.ID); err == nil && f.TrashPath != "" {
			if err := os.RemoveAll(filepath.Join(s.Root, TrashDir, f.ID)); err != nil {
				return err
			}
		}
		if err := s.Store.WithTx(ctx, func(tx *store.Tx) error { return tx.DeleteFile(ctx, f.ID) }); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) changed(clientIDs ...string) {
	if s.Emit != nil && len(clientIDs) > 0 {
		s.Emit(clientIDs)
	}
}

func (s *Service) staff() string {
	if s.Staff != nil {
		return s.Staff()
	}
	return ""
}
