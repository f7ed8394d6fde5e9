package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// File states.
const (
	FileLocal       = "local"       // the firm's own: never leaves this computer
	FileWaiting     = "waiting"     // to be sent to the portal
	FileUploading   = "uploading"   // being sent; Sent says how far
	FileSynced      = "synced"      // the portal has it as it is here
	FileDownloading = "downloading" // coming from the portal
	FileError       = "error"       // Error says why; retried
)

// File is one file in a client's folder.
type File struct {
	ID        string     `json:"id"`
	ClientID  string     `json:"clientId"`
	Path      string     `json:"path"` // inside the client's folder, "/"-separated
	SHA256    string     `json:"sha256"`
	Size      int64      `json:"size"`
	ModTime   int64      `json:"-"` // unix nanoseconds, to tell a changed file without reading it
	Source    string     `json:"source"`
	AddedBy   string     `json:"addedBy"`
	TodoID    string     `json:"todoId"`
	AddedAt   time.Time  `json:"addedAt" ts_type:"string"`
	State     string     `json:"state"`
	Error     string     `json:"error"`
	Sent      int64      `json:"sent"`
	UploadURL string     `json:"-"`
	UploadSHA string     `json:"-"`
	OnPortal  bool       `json:"onPortal"`
	TrashedAt *time.Time `json:"trashedAt,omitempty" ts_type:"string"`
	TrashPath string     `json:"-"`
	// Replaces is, while downloading a newer version, the content on disk it replaces.
	Replaces string `json:"-"`
}

const fileCols = `id, client_id, path, sha256, size, mod_time, source, added_by, todo_id, added_at, state, error,
	sent, upload_url, upload_sha, on_portal, trashed_at, trash_path, replaces`

func scanFile(row interface{ Scan(...any) error }) (File, error) {
	var f File
	var added string
	var trashed sql.NullString
	err := row.Scan(&f.ID, &f.ClientID, &f.Path, &f.SHA256, &f.Size, &f.ModTime, &f.Source, &f.AddedBy, &f.TodoID,
		&added, &f.State, &f.Error, &f.Sent, &f.UploadURL, &f.UploadSHA, &f.OnPortal, &trashed, &f.TrashPath, &f.Replaces)
	f.AddedAt = parseTime(added)
	if trashed.Valid {
		t := parseTime(trashed.String)
		f.TrashedAt = &t
	}
	return f, err
}

func (t *Tx) PutFile(ctx context.Context, f File) error {
	var trashed any
	if f.TrashedAt != nil {
		trashed = formatTime(*f.TrashedAt)
	}
	_, err := t.tx.ExecContext(ctx, `INSERT INTO files (`+fileCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id, path = excluded.path, sha256 = excluded.sha256,
			size = excluded.size, mod_time = excluded.mod_time, source = excluded.source, added_by = excluded.added_by,
			todo_id = excluded.todo_id, state = excluded.state, error = excluded.error, sent = excluded.sent,
			upload_url = excluded.upload_url, upload_sha = excluded.upload_sha, on_portal = excluded.on_portal,
			trashed_at = excluded.trashed_at, trash_path = excluded.trash_path, replaces = excluded.replaces`,
		f.ID, f.ClientID, f.Path, f.SHA256, f.Size, f.ModTime, f.Source, f.AddedBy, f.TodoID, formatTime(f.AddedAt),
		f.State, f.Error, f.Sent, f.UploadURL, f.UploadSHA, f.OnPortal, trashed, f.TrashPath, f.Replaces)
	if err != nil {
		return fmt.Errorf("save file %s: %w", f.Path, err)
	}
	return nil
}

// DeleteFile forgets a file: it is gone from disk and from the trash.
func (t *Tx) DeleteFile(ctx context.Context, id string) error {
	_, err := t.tx.ExecContext(ctx, `DELETE FROM files WHERE id = ?`, id)
	return err
}

func (t *Tx) File(ctx context.Context, id string) (File, error) { return getFile(ctx, t.tx, id) }
func (s *Store) File(ctx context.Context, id string) (File, error) {
	return getFile(ctx, s.db, id)
}

func getFile(ctx context.Context, q querier, id string) (File, error) {
	f, err := scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM files WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, ErrNotFound
	}
	return f, err
}

// FileAt is the live (not trashed) file at a path in a client's folder.
func (s *Store) FileAt(ctx context.Context, clientID, path string) (File, bool, error) {
	return fileAt(ctx, s.db, clientID, path)
}

func (t *Tx) FileAt(ctx context.Context, clientID, path string) (File, bool, error) {
	return fileAt(ctx, t.tx, clientID, path)
}

func fileAt(ctx context.Context, q querier, clientID, path string) (File, bool, error) {
	f, err := scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM files
		WHERE client_id = ? AND path = ? COLLATE NOCASE AND trashed_at IS NULL`, clientID, path))
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, false, nil
	}
	return f, err == nil, err
}

// Files lists a client's live files by path, or those in the trash, newest first.
func (s *Store) Files(ctx context.Context, clientID string, trashed bool) ([]File, error) {
	q := `SELECT ` + fileCols + ` FROM files WHERE client_id = ? AND trashed_at IS NULL ORDER BY path COLLATE NOCASE`
	if trashed {
		q = `SELECT ` + fileCols + ` FROM files WHERE client_id = ? AND trashed_at IS NOT NULL ORDER BY trashed_at DESC`
	}
	return s.queryFiles(ctx, q, clientID)
}

// FilesUnder lists a client's live files at or below a path ("" for all of them).
func (s *Store) FilesUnder(ctx context.Context, clientID, path string) ([]File, error) {
	if path == "" {
		return s.queryFiles(ctx, `SELECT `+fileCols+` FROM files WHERE client_id = ? AND trashed_at IS NULL`, clientID)
	}
	// Escape LIKE's wildcards: a folder may well be called "50%_done".
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(path)
	return s.queryFiles(ctx, `SELECT `+fileCols+` FROM files WHERE client_id = ? AND trashed_at IS NULL
		AND (path = ? COLLATE NOCASE OR path LIKE ? ESCAPE '\')`, clientID, path, esc+"/%")
}

// FilesWithSHA lists a client's live files with this content: a file that moved keeps its
// identity when its old path is gone.
func (s *Store) FilesWithSHA(ctx context.Context, clientID, sha string) ([]File, error) {
	return s.queryFiles(ctx, `SELECT `+fileCols+` FROM files WHERE client_id = ? AND sha256 = ? AND trashed_at IS NULL`, clientID, sha)
}

// FilesInState lists up to limit files in one of the states, oldest first.
func (s *Store) FilesInState(ctx context.Context, limit int, states ...string) ([]File, error) {
	args := []any{}
	for _, st := range states {
		args = append(args, st)
	}
	return s.queryFiles(ctx, `SELECT `+fileCols+` FROM files WHERE state IN (`+
		strings.TrimSuffix(strings.Repeat("?, ", len(states)), ", ")+`) AND trashed_at IS NULL ORDER BY added_at, id LIMIT `+
		fmt.Sprint(limit), args...)
}

// TrashedBefore lists files in the trash since before t.
func (s *Store) TrashedBefore(ctx context.Context, t time.Time) ([]File, error) {
	return s.queryFiles(ctx, `SELECT `+fileCols+` FROM files WHERE trashed_at IS NOT NULL AND trashed_at < ?`, formatTime(t))
}

func (s *Store) queryFiles(ctx context.Context, q string, args ...any) ([]File, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	defer rows.Close()
	out := []File{}
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetFileProgress records how far an upload got without touching anything else.
func (s *Store) SetFileProgress(ctx context.Context, id string, sent int64) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.db.ExecContext(ctx, `UPDATE files SET sent = ? WHERE id = ?`, sent, id)
	return err
}

// ClientFolder is a client and the name of its folder in the library.
type ClientFolder struct {
	ClientID, Name, Folder string
}

// ClientFolders lists every client that has a folder.
func (s *Store) ClientFolders(ctx context.Context) ([]ClientFolder, error) {
	return s.clientFolders(ctx, `SELECT f.client_id, c.name, f.folder FROM client_folders f JOIN clients c ON c.id = f.client_id`)
}

// ClientsWithoutFolder lists the clients whose folder is yet to be made.
func (s *Store) ClientsWithoutFolder(ctx context.Context) ([]ClientFolder, error) {
	return s.clientFolders(ctx, `SELECT c.id, c.name, '' FROM clients c
		WHERE NOT EXISTS (SELECT 1 FROM client_folders f WHERE f.client_id = c.id) ORDER BY c.name`)
}

func (s *Store) clientFolders(ctx context.Context, q string) ([]ClientFolder, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("client folders: %w", err)
	}
	defer rows.Close()
	var out []ClientFolder
	for rows.Next() {
		var f ClientFolder
		if err := rows.Scan(&f.ClientID, &f.Name, &f.Folder); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetClientFolder names a client's folder; false when another client has that name.
func (t *Tx) SetClientFolder(ctx context.Context, clientID, folder string) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `INSERT INTO client_folders (client_id, folder) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, clientID, folder)
	if err != nil {
		return false, fmt.Errorf("client folder: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
