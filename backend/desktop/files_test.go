package desktop_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"portico/backend/desktop"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/files"
	"portico/backend/desktop/invites"
	"portico/backend/desktop/store"
)

func hexSum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// fileNamed waits for the client's file whose path ends in name to satisfy ok.
func fileNamed(t *testing.T, d *desktop.Desktop, clientID, name, what string, ok func(files.View) bool) files.View {
	t.Helper()
	var found files.View
	waitFor(t, 20*time.Second, what, func() bool {
		list, err := d.Files.List(context.Background(), clientID)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range list {
			if f.Name == name && ok(f) {
				found = f
				return true
			}
		}
		return false
	})
	return found
}

func synced(f files.View) bool { return f.State == store.FileSynced }

// portalFiles is the client's Files page.
func portalFiles(t *testing.T, hc *http.Client, base string) string {
	t.Helper()
	resp, err := hc.Get(base + "/files")
	if err != nil {
		t.Fatal(err)
	}
	return readAll(resp)
}

var downloadRE = regexp.MustCompile(`href="(/files/[^"]+/download)" download>([^<]+)<`)

// writeFile writes as an editor would: a temporary name, then a rename.
func writeFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(filepath.Dir(path), "~$"+filepath.Base(path))
	if err := os.WriteFile(tmp, content, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// clientUpload posts files from the client's Files page, token first, as its script does.
func clientUpload(t *testing.T, hc *http.Client, base string, files map[string][]byte) {
	t.Helper()
	u, _ := url.Parse(base)
	var csrf string
	for _, c := range hc.Jar.Cookies(u) {
		if c.Name == "portico_csrf" {
			csrf = c.Value
		}
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	for name, content := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", base+"/files/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if page := readAll(resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("client upload: %d %s", resp.StatusCode, page)
	}
}

// TestFileSharingRoundTrip: files dropped into a client's folder reach the client's portal;
// visibility follows the folder both ways; renames keep the file; deletes go to the trash
// and back; what the client uploads lands in "From client", a second copy beside the first.
func TestFileSharingRoundTrip(t *testing.T) {
	ctx := context.Background()
	p, d := startMailedPortal(t, "Ledger & Sons", "owner@ledger.test", "desk")
	c, err := d.Clients.Create(ctx, clients.Input{Name: "Smith: Household", People: []clients.PersonInput{
		{Role: "primary", Name: "Ann Smith", Email: "ann@smith.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(d.Files.Root, "Smith_ Household") // ":" is not a Windows name
	waitFor(t, 10*time.Second, "the client's folder", func() bool {
		_, err := os.Stat(filepath.Join(folder, files.SharedDir))
		return err == nil
	})
	if err := d.Invites.Send(ctx, c.ID, invites.Invitation{People: []invites.Person{
		{PersonID: c.People[0].ID, Name: "Ann Smith", Email: "ann@smith.test"}}}); err != nil {
		t.Fatal(err)
	}
	ann := acceptAsClient(t, linkIn(t, p.mail, "ann@smith.test", ""), "correct horse battery")

	// Dropped into "Shared with client": on the portal, downloadable, byte for byte.
	ret := bytes.Repeat([]byte("2025 return, page after page. "), 40000)
	writeFile(t, filepath.Join(folder, files.SharedDir, "2025 Return.pdf"), ret)
	shared := fileNamed(t, d, c.ID, "2025 Return.pdf", "the return to sync", synced)
	if !shared.Visible || !shared.OnPortal || shared.SHA256 != hexSum(ret) {
		t.Fatalf("shared file: %+v", shared)
	}
	m := downloadRE.FindStringSubmatch(portalFiles(t, ann, p.url()))
	if m == nil || m[2] != "2025 Return.pdf" {
		t.Fatalf("portal files page lacks the return: %v", m)
	}
	resp, err := ann.Get(p.url() + m[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(resp); got != string(ret) {
		t.Fatalf("downloaded %d bytes, want %d", len(got), len(ret))
	}

	// The firm's own file stays home; "Visible to client" moves it in and out.
	writeFile(t, filepath.Join(folder, "Workpapers", "notes.txt"), []byte("firm only"))
	notes := fileNamed(t, d, c.ID, "notes.txt", "the firm's notes", func(f files.View) bool { return f.State == store.FileLocal })
	if strings.Contains(portalFiles(t, ann, p.url()), "notes.txt") {
		t.Fatal("the client sees the firm's own notes")
	}
	if _, err := d.Files.SetVisible(ctx, notes.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(folder, files.SharedDir, "Workpapers", "notes.txt")); err != nil {
		t.Fatalf("visible notes not moved into the shared folder: %v", err)
	}
	fileNamed(t, d, c.ID, "notes.txt", "the notes to sync", func(f files.View) bool { return synced(f) && f.ID == notes.ID })
	if page := portalFiles(t, ann, p.url()); !strings.Contains(page, "notes.txt") || !strings.Contains(page, "Workpapers") {
		t.Fatal("shared notes not on the portal with their folder")
	}
	// Moving it out of the shared folder on disk hides it again.
	if err := os.Rename(filepath.Join(folder, files.SharedDir, "Workpapers"), filepath.Join(folder, "Workpapers")); err != nil {
		t.Fatal(err)
	}
	fileNamed(t, d, c.ID, "notes.txt", "the notes to be the firm's again", func(f files.View) bool {
		return f.ID == notes.ID && !f.Visible && f.State == store.FileLocal
	})
	waitFor(t, 10*time.Second, "the portal to hide the notes", func() bool {
		return !strings.Contains(portalFiles(t, ann, p.url()), "notes.txt")
	})

	// A rename on disk is the same file under a new name.
	if err := os.Rename(filepath.Join(folder, files.SharedDir, "2025 Return.pdf"),
		filepath.Join(folder, files.SharedDir, "2025 Return (final).pdf")); err != nil {
		t.Fatal(err)
	}
	renamed := fileNamed(t, d, c.ID, "2025 Return (final).pdf", "the rename", synced)
	if renamed.ID != shared.ID {
		t.Fatalf("a rename made a new file: %s, was %s", renamed.ID, shared.ID)
	}
	waitFor(t, 10*time.Second, "the portal to show the new name", func() bool {
		page := portalFiles(t, ann, p.url())
		return strings.Contains(page, "2025 Return (final).pdf") && !strings.Contains(page, "2025 Return.pdf")
	})

	// The client sends a file: it lands in "From client"; a second one of the same name
	// with other content lands beside it.
	clientUpload(t, ann, p.url(), map[string][]byte{"W-2.pdf": []byte("first W-2")})
	got := fileNamed(t, d, c.ID, "W-2.pdf", "the client's upload", synced)
	if !got.FromClient || got.AddedBy != "ann@smith.test" {
		t.Fatalf("client upload on the desktop: %+v", got)
	}
	if b, err := os.ReadFile(filepath.Join(folder, files.FromClientDir, "W-2.pdf")); err != nil || string(b) != "first W-2" {
		t.Fatalf("client upload on disk: %q %v", b, err)
	}
	clientUpload(t, ann, p.url(), map[string][]byte{"W-2.pdf": []byte("corrected W-2")})
	second := "W-2 (from Client, " + time.Now().Format(time.DateOnly) + ").pdf"
	fileNamed(t, d, c.ID, second, "the second W-2 beside the first", synced)
	if b, _ := os.ReadFile(filepath.Join(folder, files.FromClientDir, "W-2.pdf")); string(b) != "first W-2" {
		t.Fatalf("the first W-2 was overwritten: %q", b)
	}

	// Delete in the app: to the trash, off the portal; restore brings both back.
	if err := d.Files.Delete(ctx, renamed.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(folder, files.SharedDir, "2025 Return (final).pdf")); !os.IsNotExist(err) {
		t.Fatalf("deleted file still in place: %v", err)
	}
	waitFor(t, 10*time.Second, "the portal to drop the deleted return", func() bool {
		return !strings.Contains(portalFiles(t, ann, p.url()), "2025 Return")
	})
	trash, err := d.Files.Trash(ctx, c.ID)
	if err != nil || len(trash) != 1 || trash[0].ID != renamed.ID {
		t.Fatalf("trash: %+v %v", trash, err)
	}
	if _, err := d.Files.Restore(ctx, renamed.ID); err != nil {
		t.Fatal(err)
	}
	fileNamed(t, d, c.ID, "2025 Return (final).pdf", "the restored return to sync", func(f files.View) bool {
		return synced(f) && f.OnPortal
	})
	waitFor(t, 10*time.Second, "the portal to show the restored return", func() bool {
		return strings.Contains(portalFiles(t, ann, p.url()), "2025 Return (final).pdf")
	})

	// Deleted in Explorer: the portal hides it; the OS trash has it.
	if err := os.Remove(filepath.Join(folder, files.SharedDir, "2025 Return (final).pdf")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the portal to drop the return deleted on disk", func() bool {
		return !strings.Contains(portalFiles(t, ann, p.url()), "2025 Return")
	})
	if list, _ := d.Files.List(ctx, c.ID); len(list) != 3 { // notes and two W-2s
		t.Fatalf("files after deletes: %+v", list)
	}
}

// TestFileOverThePortalsLimit: a file larger than the portal takes is an error on that file,
// in words, and the files after it still go.
func TestFileOverThePortalsLimit(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	createFirm(t, data, "Small Portal CPA", "owner@small.test", "a-long-password")
	p := startPortald(t, data, "", "--max-file-size", "4096")
	d := openDesktop(t, "desk", nil)
	if _, err := d.Session.SignIn(ctx, p.url(), "owner@small.test", "a-long-password"); err != nil {
		t.Fatal(err)
	}
	c, err := d.Clients.Create(ctx, clients.Input{Name: "Lee", People: []clients.PersonInput{{Role: "primary", Name: "Lee"}}})
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(d.Files.Root, "Lee", files.SharedDir)
	waitFor(t, 10*time.Second, "the client's folder", func() bool { _, err := os.Stat(shared); return err == nil })
	writeFile(t, filepath.Join(shared, "scan.tiff"), bytes.Repeat([]byte("x"), 5000))
	writeFile(t, filepath.Join(shared, "letter.pdf"), []byte("small"))
	big := fileNamed(t, d, c.ID, "scan.tiff", "the big file to fail", func(f files.View) bool { return f.State == store.FileError })
	if !strings.Contains(big.Error, "larger than the portal accepts") {
		t.Fatalf("error: %q", big.Error)
	}
	fileNamed(t, d, c.ID, "letter.pdf", "the small file to sync", synced)
}

// TestLibraryFolderSetting: staff move the firm library; from the next start it is there.
func TestLibraryFolderSetting(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	d, err := desktop.Open(ctx, desktop.Config{DataDir: data, LibraryDir: filepath.Join(t.TempDir(), "first")})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetLibraryDir(ctx, "relative/Portico"); err == nil {
		t.Fatal("a relative folder was accepted")
	}
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o644)
	if err := d.SetLibraryDir(ctx, filepath.Join(file, "Portico")); err == nil {
		t.Fatal("a folder inside a file was accepted")
	}
	moved := filepath.Join(t.TempDir(), "Firm Library ñ")
	if err := d.SetLibraryDir(ctx, moved); err != nil {
		t.Fatal(err)
	}
	d.Close()
	d, err = desktop.Open(ctx, desktop.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Files.Root != moved {
		t.Fatalf("library at %q, want %q", d.Files.Root, moved)
	}
}
