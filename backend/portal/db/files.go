package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
)

// File is a file as the portal shows it to a client.
type File struct {
	ID         string
	ClientName string
	SharedAt   time.Time
	api.File
}

// AddBlob records that a firm has a blob; adding it again changes nothing.
func (d *DB) AddBlob(ctx context.Context, firmID, sha string, size int64) error {
	_, err := d.sql.ExecContext(ctx, `INSERT INTO firm_blobs (firm_id, sha256, size, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, firmID, sha, size, d.now())
	if err != nil {
		return fmt.Errorf("add blob: %w", err)
	}
	return nil
}

// HasBlob tells whether the firm has the blob; its size when it does.
func (d *DB) HasBlob(ctx context.Context, firmID, sha string) (int64, bool, error) {
	var size int64
	err := d.sql.QueryRowContext(ctx, `SELECT size FROM firm_blobs WHERE firm_id = ? AND sha256 = ?`, firmID, sha).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return size, err == nil, err
}

func blobExists(ctx context.Context, tx *sql.Tx, firmID, sha string, size int64) error {
	var have int64
	err := tx.QueryRowContext(ctx, `SELECT size FROM firm_blobs WHERE firm_id = ? AND sha256 = ?`, firmID, sha).Scan(&have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return rejection("the portal has not received the file's content " + sha)
	case err != nil:
		return err
	case have != size:
		return rejection(fmt.Sprintf("the file's content %s has %d bytes, not %d", sha, have, size))
	}
	return nil
}

// putFile records a staff write of a file; its blob must be here already.
func (d *DB) putFile(ctx context.Context, tx *sql.Tx, firmID, opID, id string, f *api.File) (int64, error) {
	return putFileAt(ctx, tx, firmID, opID, id, f, d.now())
}

func putFileAt(ctx context.Context, tx *sql.Tx, firmID, opID, id string, f *api.File, now string) (int64, error) {
	if err := clientExists(ctx, tx, firmID, f.ClientID); err != nil {
		return 0, err
	}
	if err := blobExists(ctx, tx, firmID, f.SHA256, f.Size); err != nil {
		return 0, err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO files (firm_id, id, client_id, dir, name, sha256, size, modified, source,
			added_by, visible, todo_id, deleted, shared_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (firm_id, id) DO UPDATE SET client_id = excluded.client_id, dir = excluded.dir, name = excluded.name,
			sha256 = excluded.sha256, size = excluded.size, modified = excluded.modified, added_by = excluded.added_by,
			visible = excluded.visible, deleted = excluded.deleted,
			shared_at = CASE WHEN files.sha256 <> excluded.sha256 OR (files.visible = 0 AND excluded.visible = 1)
				THEN excluded.shared_at ELSE files.shared_at END`,
		firmID, id, f.ClientID, f.Dir, f.Name, f.SHA256, f.Size, f.Modified.UTC().Format(time.RFC3339Nano), f.Source,
		f.AddedBy, f.Visible, f.TodoID, f.Deleted, now)
	if err != nil {
		return 0, fmt.Errorf("put file: %w", err)
	}
	return appendChange(ctx, tx, firmID, opID, api.KindFilePut, id, f, now)
}

const fileCols = `f.id, f.client_id, c.name, f.dir, f.name, f.sha256, f.size, f.modified, f.source, f.added_by,
	f.visible, f.todo_id, f.shared_at`

func scanFile(row interface{ Scan(...any) error }) (File, error) {
	var f File
	var modified, shared string
	err := row.Scan(&f.ID, &f.ClientID, &f.ClientName, &f.Dir, &f.Name, &f.SHA256, &f.Size, &modified, &f.Source,
		&f.AddedBy, &f.Visible, &f.TodoID, &shared)
	f.Modified, f.SharedAt = parseTime(modified), parseTime(shared)
	return f, err
}

// Files lists what a user may see, newest first: what the firm shares and what the user's
// clients uploaded. limit 0 means all.
func (d *DB) Files(ctx context.Context, u User, limit int) ([]File, error) {
	filter, args := clientFilter("f", u.ClientIDs)
	q := `SELECT ` + fileCols + ` FROM files f INDEXED BY files_client
		JOIN clients c ON c.firm_id = f.firm_id AND c.id = f.client_id
		WHERE f.firm_id = ? AND ` + filter + ` AND f.deleted = 0 AND (f.visible = 1 OR f.source = 'client')
		ORDER BY f.shared_at DESC, f.name`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := d.sql.QueryContext(ctx, q, append([]any{u.FirmID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	defer rows.Close()
	var out []File
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FileFor is one file the user may download; anything else is ErrNotFound, so a client
// cannot tell another client's file from none.
func (d *DB) FileFor(ctx context.Context, u User, id string) (File, error) {
	filter, args := clientFilter("f", u.ClientIDs)
	f, err := scanFile(d.sql.QueryRowContext(ctx, `SELECT `+fileCols+` FROM files f
		JOIN clients c ON c.firm_id = f.firm_id AND c.id = f.client_id
		WHERE f.firm_id = ? AND f.id = ? AND `+filter+` AND f.deleted = 0 AND (f.visible = 1 OR f.source = 'client')`,
		append([]any{u.FirmID, id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, ErrNotFound
	}
	return f, err
}

func (d *DB) fileByID(ctx context.Context, firmID, id string) (File, error) {
	f, err := scanFile(d.sql.QueryRowContext(ctx, `SELECT `+fileCols+` FROM files f
		JOIN clients c ON c.firm_id = f.firm_id AND c.id = f.client_id WHERE f.firm_id = ? AND f.id = ?`, firmID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, ErrNotFound
	}
	return f, err
}

// ClientUpload records a file a client uploaded (its blob stored already) for one of the
// user's clients, and tells staff. The name is safe already (the caller used package filename).
func (d *DB) ClientUpload(ctx context.Context, u User, clientID string, f api.File, ev Event) (string, error) {
	if !u.HasClient(clientID) {
		return "", ErrNotFound
	}
	id := ulid.Make().String()
	f.ClientID, f.Source, f.AddedBy, f.Visible = clientID, api.SourceClient, u.Email, true
	if err := f.Check(); err != nil {
		return "", fmt.Errorf("client upload: %w", err)
	}
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		now := d.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO firm_blobs (firm_id, sha256, size, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, u.FirmID, f.SHA256, f.Size, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (firm_id, id, client_id, dir, name, sha256, size, modified, source,
				added_by, visible, todo_id, deleted, shared_at) VALUES (?, ?, ?, '', ?, ?, ?, ?, 'client', ?, 1, ?, 0, ?)`,
			u.FirmID, id, clientID, f.Name, f.SHA256, f.Size, f.Modified.UTC().Format(time.RFC3339Nano), u.Email, f.TodoID, now); err != nil {
			return fmt.Errorf("client upload: %w", err)
		}
		if _, err := appendChange(ctx, tx, u.FirmID, "", api.KindFilePut, id, f, now); err != nil {
			return err
		}
		_, err := audit(ctx, tx, u.FirmID, u.ID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, now)
		return err
	})
	if err != nil {
		return "", err
	}
	d.changed(u.FirmID)
	return id, nil
}

// HasClient tells whether the user is a portal user of the client.
func (u User) HasClient(clientID string) bool {
	for _, id := range u.ClientIDs {
		if id == clientID {
			return true
		}
	}
	return false
}

// TodoClient is the client of one of the user's to-dos; ErrNotFound for any other.
func (d *DB) TodoClient(ctx context.Context, u User, todoID string) (string, error) {
	filter, args := clientFilter("t", u.ClientIDs)
	var id string
	err := d.sql.QueryRowContext(ctx, `SELECT t.client_id FROM todos t WHERE t.firm_id = ? AND t.id = ? AND t.deleted = 0 AND `+filter,
		append([]any{u.FirmID, todoID}, args...)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return id, err
}
