package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
)

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// tusRequest is one request of the tus protocol from the staff desktop.
func (p *portal) tusRequest(method, url string, body []byte, header map[string]string) *http.Response {
	p.t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Tus-Resumable", "1.0.0")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// sendBlob uploads content over tus announcing sha (its own hash when ""), in two PATCHes,
// and returns the status of the last.
func (p *portal) sendBlob(content []byte, sha string) int {
	p.t.Helper()
	if sha == "" {
		sha = sum(content)
	}
	resp := p.tusRequest("POST", p.srv.URL+api.PathUploads, nil, map[string]string{
		"Upload-Length":   strconv.Itoa(len(content)),
		"Upload-Metadata": api.UploadMetaSHA256 + " " + base64.StdEncoding.EncodeToString([]byte(sha)),
	})
	if resp.StatusCode != http.StatusCreated {
		return resp.StatusCode
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "http") {
		loc = p.srv.URL + loc
	}
	half := len(content) / 2
	for _, part := range [][2]int{{0, half}, {half, len(content)}} {
		resp = p.tusRequest("PATCH", loc, content[part[0]:part[1]], map[string]string{
			"Content-Type": "application/offset+octet-stream", "Upload-Offset": strconv.Itoa(part[0])})
		if resp.StatusCode != http.StatusNoContent {
			return resp.StatusCode
		}
	}
	return resp.StatusCode
}

// postFiles sends a multipart upload as the Files page's script does: the token first.
func (b *browser) postFiles(path, csrf string, files map[string][]byte, fields ...string) (int, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf != "-" {
		mw.WriteField("csrf", csrf)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	for name, content := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", b.url(path), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func TestFilesSharedDownloadedAndUploaded(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	beta := p.otherFirm(t)
	p.mustPush(op(api.KindClientPut, "c2", api.Client{Name: "Zed Corp", People: []api.Person{{ID: "z1", Role: api.RolePrimary, Name: "Zed", Email: "zed@zed.test"}}}))

	ret := []byte("%PDF-1.7 the 2025 return")
	file := func(client, name string, content []byte, visible bool) api.File {
		return api.File{ClientID: client, Name: name, SHA256: sum(content), Size: int64(len(content)),
			Modified: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Source: api.SourceFirm, AddedBy: "Sam", Visible: visible}
	}
	f1, f2, f3 := ulid.Make().String(), ulid.Make().String(), ulid.Make().String()
	// A file whose content never arrived is refused; once sent, it applies.
	if r := p.push(op(api.KindFilePut, f1, file("c1", "2025 Return.pdf", ret, true))); r[0].Status != api.OpRejected {
		t.Fatalf("file without its blob: %+v", r)
	}
	if st := p.sendBlob(ret, ""); st != http.StatusNoContent {
		t.Fatalf("tus upload: %d", st)
	}
	secret := []byte("Zed's ledger")
	if st := p.sendBlob(secret, ""); st != http.StatusNoContent {
		t.Fatalf("tus upload: %d", st)
	}
	p.mustPush(
		op(api.KindFilePut, f1, file("c1", "2025 Return.pdf", ret, true)),
		op(api.KindFilePut, f2, file("c1", "Firm notes.txt", ret, false)),
		op(api.KindFilePut, f3, file("c2", "Zed ledger.xlsx", secret, true)),
	)
	// The tus endpoint checks what it stores and whose it is.
	if st := p.sendBlob([]byte("not what was announced"), sum([]byte("something else"))); st != 460 {
		t.Fatalf("checksum mismatch answered %d", st)
	}
	if st := p.sendBlob(bytes.Repeat([]byte("x"), 2<<20), ""); st != http.StatusRequestEntityTooLarge {
		t.Fatalf("over the limit answered %d", st)
	}
	for _, bad := range []api.File{
		{ClientID: "c1", Name: "../../etc/passwd", SHA256: sum(ret), Size: int64(len(ret)), Source: api.SourceFirm},
		{ClientID: "c1", Name: "ok.pdf", Dir: "a/../..", SHA256: sum(ret), Size: int64(len(ret)), Source: api.SourceFirm},
		{ClientID: "c1", Name: "CON.pdf", SHA256: sum(ret), Size: int64(len(ret)), Source: api.SourceFirm},
		{ClientID: "c1", Name: "ok.pdf", SHA256: sum(ret), Size: int64(len(ret)), Source: api.SourceClient},
	} {
		if r := p.push(op(api.KindFilePut, ulid.Make().String(), bad)); r[0].Status != api.OpRejected {
			t.Fatalf("%+v: %+v", bad, r)
		}
	}
	// Desktops name folders after file ids: an id that is not a ULID could be a path.
	for _, id := range []string{"..", "../../etc", "f1"} {
		if r := p.push(op(api.KindFilePut, id, file("c1", "ok.pdf", ret, true))); r[0].Status != api.OpRejected {
			t.Fatalf("file id %q: %+v", id, r)
		}
	}

	b := p.accept("ana@example.com", "correct horse battery")
	st, body := b.get("/files")
	expect(t, "files", st, body, 200, "2025 Return.pdf")
	for _, leak := range []string{"Firm notes", "Zed"} {
		if strings.Contains(body, leak) {
			t.Fatalf("files page shows %q", leak)
		}
	}
	st, body = b.get("/home")
	expect(t, "home recent files", st, body, 200, "2025 Return.pdf")

	req, _ := http.NewRequest("GET", b.url("/files/"+f1+"/download"), nil)
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, ret) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") ||
		resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %q %v", got, resp.Header)
	}
	// Another client's file, a hidden one, another firm's and none at all: all 404.
	beta(op(api.KindClientPut, "c1", api.Client{Name: "Beta's client", People: []api.Person{{ID: "b1", Role: api.RolePrimary, Name: "B", Email: "b@b.test"}}}))
	for _, id := range []string{f2, f3, "nope"} {
		st, body := b.get("/files/" + id + "/download")
		expect(t, "download "+id, st, body, http.StatusNotFound, "nothing here")
	}

	// The client sends two files; the first part must be the form's token.
	st, body = b.postFiles("/files/upload", "wrong", map[string][]byte{"w2.pdf": []byte("W-2")})
	expect(t, "upload with a wrong token", st, body, http.StatusUnprocessableEntity, "expired")
	st, body = b.postFiles("/files/upload", "-", map[string][]byte{"w2.pdf": []byte("W-2")})
	expect(t, "upload without a token", st, body, http.StatusUnprocessableEntity, "expired")
	st, body = b.postFiles("/files/upload", "-", nil, "client", "c1", "csrf", b.csrf())
	expect(t, "upload with the token late", st, body, http.StatusUnprocessableEntity, "expired")
	st, body = b.postFiles("/todos/t9/done", "-", nil)
	expect(t, "to-do form without a token", st, body, http.StatusUnprocessableEntity, "expired")
	st, loc := b.postFiles("/files/upload", b.csrf(), map[string][]byte{`C:\Users\ana\W-2: "final".pdf`: []byte("W-2 content"), "1099.pdf": []byte("1099")})
	expect(t, "upload", st, loc, http.StatusSeeOther, "/files?uploaded=")
	st, body = b.get("/files")
	expect(t, "uploaded list", st, body, 200, "W-2_ _final_.pdf")
	st, body = b.postFiles("/files/upload", b.csrf(), map[string][]byte{"big.bin": bytes.Repeat([]byte("y"), 2<<20)})
	expect(t, "too big", st, body, http.StatusUnprocessableEntity, "larger than")

	// A to-do done with a file attached: both reach the staff.
	p.mustPush(op(api.KindTodoPut, "t1", api.Todo{ClientID: "c1", Title: "Upload your W-2", State: api.TodoOpen}))
	st, loc = b.postFiles("/todos/t1/done", b.csrf(), map[string][]byte{"W-2 scan.jpg": []byte("jpeg")})
	expect(t, "todo done with a file", st, loc, http.StatusSeeOther, "/todos?done=t1")

	var feed api.ChangesResponse
	p.api("GET", api.PathChanges+"?after=0&limit=5000", nil, &feed)
	uploads := map[string]api.File{}
	for _, c := range feed.Changes {
		var f api.File
		if c.Kind == api.KindFilePut && json.Unmarshal(c.Data, &f) == nil && f.Source == api.SourceClient {
			uploads[f.Name] = f
		}
	}
	if f := uploads["W-2 scan.jpg"]; f.TodoID != "t1" || f.ClientID != "c1" || f.AddedBy != "ana@example.com" {
		t.Fatalf("to-do attachment in the feed: %+v (all: %v)", f, uploads)
	}
	w2 := uploads[`W-2_ _final_.pdf`]
	if w2.SHA256 != sum([]byte("W-2 content")) || w2.Size != 11 {
		t.Fatalf("upload in the feed: %+v", uploads)
	}
	// The staff desktop fetches the client's upload by its hash; another firm cannot.
	req, _ = http.NewRequest("GET", p.srv.URL+api.PathBlobs+w2.SHA256, nil)
	req.Header.Set("Authorization", "Bearer "+p.token)
	req.Header.Set("Range", "bytes=4-")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || string(got) != "content" {
		t.Fatalf("ranged blob: %d %q", resp.StatusCode, got)
	}
	betaDevice := *p
	betaDevice.token = ""
	var signIn api.SignInResponse
	betaDevice.api("POST", api.PathDevices, api.SignInRequest{Email: "bo@beta.test", Password: "beta-password-1"}, &signIn)
	req, _ = http.NewRequest("GET", p.srv.URL+api.PathBlobs+w2.SHA256, nil)
	req.Header.Set("Authorization", "Bearer "+signIn.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another firm's device read the blob: %d", resp.StatusCode)
	}
}
