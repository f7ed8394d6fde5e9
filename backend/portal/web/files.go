package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"time"

	"portico/backend/api"
	"portico/backend/portal/blobs"
	"portico/backend/portal/db"
)

// MaxFilesPerUpload bounds one upload request.
const MaxFilesPerUpload = 100

type filesData struct {
	Shared, Uploaded []db.File
	Clients          []db.ClientName
	MaxSize          string
}

// filesData is what the Files page lists: shared with the user, and sent by them.
func (w *Web) filesData(ctx context.Context, u db.User) (filesData, error) {
	list, err := w.DB.Files(ctx, u, 0)
	if err != nil {
		return filesData{}, err
	}
	d := filesData{MaxSize: size(w.maxFileSize())}
	if d.Clients, err = w.DB.ClientNames(ctx, u); err != nil {
		return filesData{}, err
	}
	for _, f := range list {
		if f.Source == api.SourceClient {
			d.Uploaded = append(d.Uploaded, f)
		} else {
			d.Shared = append(d.Shared, f)
		}
	}
	return d, nil
}

func (w *Web) files(rw http.ResponseWriter, r *http.Request, s db.Session) {
	d, err := w.filesData(r.Context(), s.User)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	notice := ""
	if n := r.URL.Query().Get("uploaded"); n != "" {
		notice = fmt.Sprintf("Uploaded %s. %s can see it.", plural(n, "file"), s.User.FirmName)
	}
	w.render(rw, r, http.StatusOK, "files", page{Title: "Files", User: &s.User, Notice: notice, Data: d})
}

func plural(n, word string) string {
	if n == "1" {
		return "1 " + word
	}
	return n + " " + word + "s"
}

func (w *Web) maxFileSize() int64 {
	if w.MaxFileSize > 0 {
		return w.MaxFileSize
	}
	return api.MaxFileSize
}

// download streams a file the user may see, as an attachment: never rendered by the browser.
func (w *Web) download(rw http.ResponseWriter, r *http.Request, s db.Session) {
	f, err := w.DB.FileFor(r.Context(), s.User, r.PathValue("id"))
	if errors.Is(err, db.ErrNotFound) {
		w.notFound(rw, r, &s.User)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	blob, err := w.Blobs.Open(f.SHA256)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	defer blob.Close()
	h := rw.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	h.Set("Cache-Control", "private, no-store")
	http.ServeContent(rw, r, "", f.Modified, blob)
}

// upload takes files from the Files tab: several at once, streamed to disk part by part.
func (w *Web) upload(rw http.ResponseWriter, r *http.Request, s db.Session) {
	n, err := w.receive(rw, r, s, "")
	if err != nil {
		w.uploadFailed(rw, r, s, err)
		return
	}
	if n == 0 {
		w.uploadFailed(rw, r, s, errNoFiles)
		return
	}
	if wantsJSON(r) {
		rw.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/files?uploaded=%d", n), http.StatusSeeOther)
}

var errNoFiles = uploadError("Choose at least one file to upload.")

// uploadError is what the client did wrong, said in words for the page.
type uploadError string

func (e uploadError) Error() string { return string(e) }

func (w *Web) uploadFailed(rw http.ResponseWriter, r *http.Request, s db.Session, err error) {
	var ue uploadError
	if !errors.As(err, &ue) {
		w.Log.Error("upload", "err", err)
		ue = "The upload did not finish. Nothing was lost on your side: try again."
	}
	if wantsJSON(r) {
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		rw.WriteHeader(http.StatusUnprocessableEntity)
		io.WriteString(rw, string(ue))
		return
	}
	d, _ := w.filesData(r.Context(), s.User) // the error is the page's message already
	d.MaxSize = size(w.maxFileSize())
	w.render(rw, r, http.StatusUnprocessableEntity, "files", page{Title: "Files", User: &s.User, Error: string(ue), Data: d})
}

// wantsJSON tells a request from the page's script (which shows its own progress and
// errors) from a plain form post.
func wantsJSON(r *http.Request) bool { return r.Header.Get("X-Requested-With") == "portico" }

// receive reads a multipart upload: the CSRF token first (the middleware leaves multipart
// bodies to us, since it must not buffer them), then optionally "client", then files. Each
// file is hashed and stored as it streams; none is held in memory. todoID attaches them to a
// to-do of the user's.
func (w *Web) receive(rw http.ResponseWriter, r *http.Request, s db.Session, todoID string) (int, error) {
	// A big file on a slow line outlasts the server's read timeout: extend it while bytes come.
	rc := http.NewResponseController(rw)
	mr, err := r.MultipartReader()
	if err != nil {
		return 0, uploadError("The upload was not a file form.")
	}
	clientID := ""
	if len(s.User.ClientIDs) == 1 {
		clientID = s.User.ClientIDs[0]
	}
	// Nothing is read past a first part that is not the right token, and a body without
	// one is refused like a wrong one.
	const expired = uploadError("This form had expired or did not come from this site. Reload the page and send it again.")
	part, err := mr.NextPart()
	if err != nil || !w.csrfPart(r, part) {
		return 0, expired
	}
	if todoID != "" {
		if clientID, err = w.DB.TodoClient(r.Context(), s.User, todoID); err != nil {
			return 0, err
		}
	}
	count := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return count, nil
		}
		if err != nil {
			return count, uploadError("The upload was cut off. Files listed below arrived; send the others again.")
		}
		switch part.FormName() {
		case "client":
			v, _ := io.ReadAll(io.LimitReader(part, 100))
			if todoID == "" && s.User.HasClient(string(v)) {
				clientID = string(v)
			}
			continue
		case "file":
		default:
			continue
		}
		if part.FileName() == "" {
			continue // an empty file input
		}
		if clientID == "" {
			return count, uploadError("Choose whose documents these are.")
		}
		if count == MaxFilesPerUpload {
			return count, uploadError(fmt.Sprintf("At most %d files at a time.", MaxFilesPerUpload))
		}
		name := api.SafeName(path.Base(strings.ReplaceAll(part.FileName(), `\`, "/")))
		sha, bytes, err := w.Blobs.Ingest(r.Context(), deadlineReader{part, rc}, w.maxFileSize())
		if errors.Is(err, blobs.ErrTooLarge) {
			return count, uploadError(fmt.Sprintf("%s is larger than %s, the most the portal takes.", name, size(w.maxFileSize())))
		}
		if err != nil {
			return count, err
		}
		f := api.File{Name: name, SHA256: sha, Size: bytes, Modified: w.Now(), TodoID: todoID}
		if _, err := w.DB.ClientUpload(r.Context(), s.User, clientID, f, event(r, "file.uploaded", name)); err != nil {
			return count, err
		}
		count++
	}
}

// csrfPart checks the token sent as the form's first field.
func (w *Web) csrfPart(r *http.Request, part *multipart.Part) bool {
	if part.FormName() != "csrf" {
		return false
	}
	sent, _ := io.ReadAll(io.LimitReader(part, 100))
	token, _ := r.Context().Value(csrfKey{}).(string)
	return token != "" && subtle.ConstantTimeCompare(sent, []byte(token)) == 1
}

// deadlineReader pushes the connection's read deadline a minute ahead on every read, so an
// upload may take hours as long as it keeps moving.
type deadlineReader struct {
	r  io.Reader
	rc *http.ResponseController
}

func (d deadlineReader) Read(p []byte) (int, error) {
	d.rc.SetReadDeadline(time.Now().Add(time.Minute))
	return d.r.Read(p)
}

// size shows a byte count the way people read it: 1.4 MB.
func size(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
