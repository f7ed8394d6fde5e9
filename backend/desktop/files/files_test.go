package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/store"
)

func newService(t *testing.T, clients ...string) (*Service, map[string]string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ids := map[string]string{}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for i, name := range clients {
		id := string(rune('a'+i)) + "-client"
		ids[name] = id
		if err := st.WithTx(ctx, func(tx *store.Tx) error {
			return tx.PutClient(ctx, store.Client{ID: id, Name: name, CreatedAt: now, UpdatedAt: now})
		}); err != nil {
			t.Fatal(err)
		}
	}
	return &Service{Store: st, Root: t.TempDir(), Now: func() time.Time { return now }}, ids
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	// Written a moment ago, by a copy that has finished: the transfer may send it.
	then := time.Now().Add(-CopySettle)
	if err := os.Chtimes(path, then, then); err != nil {
		t.Fatal(err)
	}
}

func paths(t *testing.T, s *Service, clientID string) []string {
	t.Helper()
	list, err := s.List(context.Background(), clientID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range list {
		out = append(out, f.Path+" "+f.State)
	}
	return out
}

// TestExistingTreeWaitsForReview: a library that already has a folder per client syncs
// nothing until staff say whose each folder is.
func TestExistingTreeWaitsForReview(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "John Smith", "Acme LLC", "New Client")
	write(t, filepath.Join(s.Root, "Smith, John", SharedDir, "2024 return.pdf"), "2024")
	write(t, filepath.Join(s.Root, "Smith, John", "notes.txt"), "notes")
	write(t, filepath.Join(s.Root, "Acme LLC", "books.xlsx"), "books")
	write(t, filepath.Join(s.Root, "Misc", "template.docx"), "template")

	if err := s.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"John Smith", "Acme LLC"} {
		if got := paths(t, s, ids[name]); len(got) != 0 {
			t.Fatalf("%s has files before review: %v", name, got)
		}
		if _, err := s.ClientFolder(ctx, ids[name]); err == nil {
			t.Fatalf("%s got a folder before review", name)
		}
	}
	if _, err := os.Stat(filepath.Join(s.Root, "New Client", SharedDir)); err != nil {
		t.Fatalf("a client with no folder of its name gets a new one: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.Root, "John Smith")); err == nil {
		t.Fatal("John Smith got a second folder beside \"Smith, John\"")
	}

	review, err := s.Unmatched(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Match{
		{Folder: "Acme LLC", ClientID: ids["Acme LLC"], ClientName: "Acme LLC", Files: 1},
		{Folder: "Misc", Files: 1},
		{Folder: "Smith, John", ClientID: ids["John Smith"], ClientName: "John Smith", Files: 2},
	}
	if !slices.Equal(review, want) {
		t.Fatalf("review\n got %+v\nwant %+v", review, want)
	}

	for _, bad := range [][]Decision{{{Folder: "../etc", ClientID: ids["Acme LLC"]}}, {{Folder: "Gone", ClientID: ids["Acme LLC"]}},
		{{Folder: "Misc", ClientID: "nobody"}}} {
		if err := s.Match(ctx, bad); err == nil {
			t.Fatalf("Match(%+v) accepted", bad)
		}
	}
	if err := s.Match(ctx, []Decision{{Folder: "Smith, John", ClientID: ids["John Smith"]}, {Folder: "Acme LLC", ClientID: ids["Acme LLC"]}, {Folder: "Misc"}}); err != nil {
		t.Fatal(err)
	}
	if got := paths(t, s, ids["John Smith"]); !slices.Equal(got, []string{"notes.txt local", SharedDir + "/2024 return.pdf waiting"}) {
		t.Fatalf("John Smith's files after review: %v", got)
	}
	if review, _ := s.Unmatched(ctx); len(review) != 0 {
		t.Fatalf("still to review: %+v", review)
	}
	// A client named like a folder staff skipped gets its own.
	now := s.Now()
	s.Store.WithTx(ctx, func(tx *store.Tx) error {
		return tx.PutClient(ctx, store.Client{ID: "misc", Name: "Misc", CreatedAt: now, UpdatedAt: now})
	})
	if err := s.EnsureFolders(ctx); err != nil {
		t.Fatal(err)
	}
	if dir, err := s.ClientFolder(ctx, "misc"); err != nil || filepath.Base(dir) != "Misc (2)" {
		t.Fatalf("the client Misc got %q, %v", dir, err)
	}
}

// TestScanFollowsTheDisk: renames keep identity, temporary files are never files, a file
// gone only counts as deleted once it did not turn up elsewhere.
func TestScanFollowsTheDisk(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Pat Lee")
	id := ids["Pat Lee"]
	if err := s.Rescan(ctx); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.Root, "Pat Lee")
	write(t, filepath.Join(dir, SharedDir, "W-2.pdf"), "w2")
	write(t, filepath.Join(dir, SharedDir, "~$W-2.docx"), "lock")
	write(t, filepath.Join(dir, "Thumbs.db"), "thumbs")
	if err := s.Scan(ctx, []string{"Pat Lee"}); err != nil {
		t.Fatal(err)
	}
	list, _ := s.List(ctx, id)
	if len(list) != 1 || list[0].Name != "W-2.pdf" || !list[0].Visible || list[0].State != store.FileWaiting {
		t.Fatalf("after the first scan: %+v", list)
	}
	first := list[0].ID

	// Renamed into the firm's own area: same file, no longer visible.
	if err := os.Rename(filepath.Join(dir, SharedDir, "W-2.pdf"), filepath.Join(dir, "W-2 (firm copy).pdf")); err != nil {
		t.Fatal(err)
	}
	if err := s.Scan(ctx, []string{filepath.Join("Pat Lee", SharedDir, "W-2.pdf"), filepath.Join("Pat Lee", "W-2 (firm copy).pdf")}); err != nil {
		t.Fatal(err)
	}
	list, _ = s.List(ctx, id)
	if len(list) != 1 || list[0].ID != first || list[0].Visible || list[0].Path != "W-2 (firm copy).pdf" {
		t.Fatalf("after the rename: %+v", list)
	}

	// Deleted on disk: kept while it may be a move, then gone.
	os.Remove(filepath.Join(dir, "W-2 (firm copy).pdf"))
	if err := s.Scan(ctx, []string{filepath.Join("Pat Lee", "W-2 (firm copy).pdf")}); err != nil {
		t.Fatal(err)
	}
	if got := paths(t, s, id); len(got) != 1 {
		t.Fatalf("deleted before the grace: %v", got)
	}
	if err := s.settleMissing(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got := paths(t, s, id); len(got) != 0 {
		t.Fatalf("still listed after the grace: %v", got)
	}

	// A library whose client folder went missing (a drive not mounted) deletes nothing.
	write(t, filepath.Join(dir, "keep.txt"), "keep")
	s.Scan(ctx, []string{"Pat Lee"})
	os.Rename(dir, dir+".away")
	s.Scan(ctx, []string{"Pat Lee"})
	s.settleMissing(ctx, 0)
	if got := paths(t, s, id); len(got) != 1 {
		t.Fatalf("an unmounted folder lost its files: %v", got)
	}
}

func TestConflictNames(t *testing.T) {
	s, ids := newService(t, "Ana Ruiz")
	ctx := context.Background()
	if err := s.EnsureFolders(ctx); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.Root, "Ana Ruiz", FromClientDir)
	write(t, filepath.Join(dir, "W-2.pdf"), "old")
	write(t, filepath.Join(dir, "W-2 (from Client, 2026-11-26).pdf"), "older")
	for _, tt := range []struct{ in, source, want string }{
		{FromClientDir + "/1099.pdf", "client", FromClientDir + "/1099.pdf"},
		{FromClientDir + "/W-2.pdf", "client", FromClientDir + "/W-2 (from Client, 2026-11-26) (2).pdf"},
		{SharedDir + "/W-2.pdf", "firm", SharedDir + "/W-2.pdf"},
	} {
		var got string
		s.Store.WithTx(ctx, func(tx *store.Tx) error {
			var err error
			got, err = s.freePath(ctx, tx, ids["Ana Ruiz"], tt.in, tt.source)
			return err
		})
		if got != tt.want {
			t.Errorf("freePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAddKeepsFolders: a folder dropped on a client keeps its structure, under "Shared with
// client" when visible; names are made safe and a name taken gets " (2)".
func TestAddKeepsFolders(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Kim Park")
	src := t.TempDir()
	write(t, filepath.Join(src, "2025 Taxes", "Q1", "receipt: lunch.jpg"), "r")
	write(t, filepath.Join(src, "2025 Taxes", "summary.pdf"), "s")
	write(t, filepath.Join(src, "engagement.pdf"), "e")
	added, err := s.Add(ctx, ids["Kim Park"], []string{filepath.Join(src, "2025 Taxes"), filepath.Join(src, "engagement.pdf")}, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 3 {
		t.Fatalf("added %+v", added)
	}
	if _, err := s.Add(ctx, ids["Kim Park"], []string{filepath.Join(src, "engagement.pdf")}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, ids["Kim Park"], []string{filepath.Join(src, "engagement.pdf")}, true); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"engagement.pdf local",
		SharedDir + "/2025 Taxes/Q1/receipt_ lunch.jpg waiting",
		SharedDir + "/2025 Taxes/summary.pdf waiting",
		SharedDir + "/engagement (2).pdf waiting",
		SharedDir + "/engagement.pdf waiting",
	}
	if got := paths(t, s, ids["Kim Park"]); !slices.Equal(got, want) {
		t.Fatalf("files\n got %v\nwant %v", got, want)
	}
	if _, err := s.Add(ctx, ids["Kim Park"], []string{filepath.Join(src, "missing.pdf")}, true); err == nil {
		t.Fatal("adding a file that is not there succeeded")
	}
}

func TestCoverOnce(t *testing.T) {
	sep := string(filepath.Separator)
	in := []string{"B" + sep + "x", "A", "A" + sep + "Shared with client", "AB", "B" + sep + "x", "A" + sep + "From client" + sep + "f.pdf"}
	want := []string{"A", "AB", "B" + sep + "x"}
	if got := coverOnce(in); !slices.Equal(got, want) {
		t.Fatalf("coverOnce(%q) = %q, want %q", in, got, want)
	}
}

// TestTrashKeepsThirtyDays: a deleted file can be restored for TrashDays, then it is gone.
func TestTrashKeepsThirtyDays(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Rosa Diaz")
	id := ids["Rosa Diaz"]
	now := s.Now()
	s.Now = func() time.Time { return now }
	if err := s.EnsureFolders(ctx); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(s.Root, "Rosa Diaz", "a.pdf"), "a")
	write(t, filepath.Join(s.Root, "Rosa Diaz", "b.pdf"), "b")
	s.Scan(ctx, []string{"Rosa Diaz"})
	list, _ := s.List(ctx, id)
	for _, f := range list {
		if err := s.Delete(ctx, f.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Restore(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(s.Root, "Rosa Diaz", "a.pdf")); err != nil || string(b) != "a" {
		t.Fatalf("restored a.pdf: %q %v", b, err)
	}
	now = now.Add(29 * 24 * time.Hour)
	s.PurgeTrash(ctx)
	if trash, _ := s.Trash(ctx, id); len(trash) != 1 {
		t.Fatalf("after 29 days the trash has %d files, want 1", len(trash))
	}
	now = now.Add(2 * 24 * time.Hour)
	if err := s.PurgeTrash(ctx); err != nil {
		t.Fatal(err)
	}
	if trash, _ := s.Trash(ctx, id); len(trash) != 0 {
		t.Fatalf("after 31 days the trash still has %+v", trash)
	}
	if _, err := os.Stat(filepath.Join(s.Root, TrashDir, list[1].ID)); !os.IsNotExist(err) {
		t.Fatalf("the purged file is still on disk: %v", err)
	}
}

// fakePortal records what the transfer worker asks of the portal.
type fakePortal struct {
	sent    []string // sha256 of each upload sent
	failSHA string   // uploads of this content fail, as one file's problem
}

func (p *fakePortal) HasBlob(context.Context, string) (bool, error) { return false, nil }
func (p *fakePortal) CreateUpload(_ context.Context, _ int64, sha string) (string, error) {
	return "http://portal.test/up/" + sha, nil
}
func (p *fakePortal) SendUpload(_ context.Context, url string, _ io.ReaderAt, _ int64, _ func(int64)) error {
	sha := path.Base(url)
	if sha == p.failSHA {
		return errors.New("the portal received different bytes")
	}
	p.sent = append(p.sent, sha)
	return nil
}
func (p *fakePortal) Blob(context.Context, string, int64) (io.ReadCloser, error) {
	return nil, errors.New("no blobs here")
}
func (p *fakePortal) Offline(error) bool { return false }

// TestTransferRespectsStaffAndOneBadFile: a file deleted after the batch was read is not
// sent (it stays in the trash), and one file that keeps failing neither stops the others
// nor spins: it waits RetryEvery.
func TestTransferRespectsStaffAndOneBadFile(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Omar Haddad")
	if err := s.EnsureFolders(ctx); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(s.Root, "Omar Haddad", SharedDir)
	write(t, filepath.Join(shared, "a.pdf"), "a")
	write(t, filepath.Join(shared, "b.pdf"), "b")
	write(t, filepath.Join(shared, "c.pdf"), "c")
	s.Scan(ctx, []string{"Omar Haddad"})
	list, _ := s.List(ctx, ids["Omar Haddad"])
	if err := s.Delete(ctx, list[0].ID); err != nil { // a.pdf, after the worker's batch was read
		t.Fatal(err)
	}
	p := &fakePortal{failSHA: list[1].SHA256} // b.pdf fails
	did, err := s.transferSome(ctx, p)
	if err != nil || !did {
		t.Fatalf("transferSome = %v, %v", did, err)
	}
	if !slices.Equal(p.sent, []string{list[2].SHA256}) {
		t.Fatalf("sent %v, want only c.pdf", p.sent)
	}
	if trash, _ := s.Trash(ctx, ids["Omar Haddad"]); len(trash) != 1 || trash[0].ID != list[0].ID {
		t.Fatalf("the deleted file left the trash: %+v", trash)
	}
	b, _ := s.Store.File(ctx, list[1].ID)
	if b.Error == "" {
		t.Fatalf("b.pdf's failure is not shown: %+v", b)
	}
	if did, _ := s.transferSome(ctx, p); did {
		t.Fatal("the failed file was tried again at once")
	}
}

// TestFeedIDsAreNeverPaths: a file id from the feed names a folder in the trash, so one
// that is not a ULID is refused.
func TestFeedIDsAreNeverPaths(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Eve")
	data, _ := json.Marshal(api.File{ClientID: ids["Eve"], Name: "x.pdf", SHA256: strings.Repeat("ab", 32), Size: 1,
		Source: api.SourceClient, Visible: true})
	for _, id := range []string{"..", "../../x", "f1"} {
		if err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
			return s.Apply(ctx, tx, api.Change{Seq: 1, Kind: api.KindFilePut, EntityID: id, Data: data})
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Store.File(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a file with id %q was recorded", id)
		}
	}
}

// blobPortal serves the blobs it holds.
type blobPortal struct {
	fakePortal
	blobs map[string]string
}

func (p *blobPortal) Blob(_ context.Context, sha string, offset int64) (io.ReadCloser, error) {
	b, ok := p.blobs[sha]
	if !ok {
		return nil, errors.New("no such blob")
	}
	return io.NopCloser(strings.NewReader(b[offset:])), nil
}

// TestNewerVersionReplacesTheOneAgreedOn: a file another desktop changed replaces the
// version here (which goes to the trash); only a file changed on both sides keeps both.
func TestNewerVersionReplacesTheOneAgreedOn(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Omar Haddad")
	if err := s.EnsureFolders(ctx); err != nil {
		t.Fatal(err)
	}
	client := ids["Omar Haddad"]
	shared := filepath.Join(s.Root, "Omar Haddad", SharedDir)
	p := &blobPortal{blobs: map[string]string{}}
	seq := int64(0)
	share := func(id, content string) {
		t.Helper()
		sha := sum(content)
		p.blobs[sha] = content
		seq++
		data, _ := json.Marshal(api.File{ClientID: client, Name: "letter.pdf", SHA256: sha, Size: int64(len(content)),
			Source: api.SourceFirm, AddedBy: "sam@firm.test", Visible: true})
		if err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
			return s.Apply(ctx, tx, api.Change{Seq: seq, Kind: api.KindFilePut, EntityID: id, Data: data})
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.transferSome(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	onDisk := func() map[string]string {
		t.Helper()
		got := map[string]string{}
		entries, _ := os.ReadDir(shared)
		for _, e := range entries {
			b, _ := os.ReadFile(filepath.Join(shared, e.Name()))
			got[e.Name()] = string(b)
		}
		return got
	}
	id := "01JDQ3ZC0000000000000000AB"
	share(id, "version 1")
	share(id, "version 2")
	if got := onDisk(); len(got) != 1 || got["letter.pdf"] != "version 2" {
		t.Fatalf("after the second version: %v, want only letter.pdf with version 2", got)
	}
	if f, _ := s.Store.File(ctx, id); f.State != store.FileSynced || f.SHA256 != sum("version 2") || f.Path != SharedDir+"/letter.pdf" {
		t.Fatalf("the file's row: %+v", f)
	}
	trash, _ := s.Trash(ctx, client)
	if len(trash) != 1 || trash[0].SHA256 != sum("version 1") {
		t.Fatalf("the trash: %+v, want version 1", trash)
	}
	if _, err := s.Restore(ctx, trash[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := onDisk(); got["letter (2).pdf"] != "version 1" || got["letter.pdf"] != "version 2" {
		t.Fatalf("after restoring version 1: %v", got)
	}

	// Changed here too before the next version came: both stay.
	write(t, filepath.Join(shared, "letter.pdf"), "version 3, edited here")
	share(id, "version 4")
	beside := "letter (from the firm, 2026-11-26).pdf"
	if got := onDisk(); got["letter.pdf"] != "version 3, edited here" || got[beside] != "version 4" {
		t.Fatalf("after a change on both sides: %v", got)
	}
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// growingPortal appends to a file while its upload is sent: a copy that went on.
type growingPortal struct {
	fakePortal
	grow string
}

func (p *growingPortal) SendUpload(ctx context.Context, url string, src io.ReaderAt, size int64, progress func(int64)) error {
	if p.grow != "" {
		f, _ := os.OpenFile(p.grow, os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString(" and the rest")
		f.Close()
		p.grow = ""
	}
	return p.fakePortal.SendUpload(ctx, url, src, size, progress)
}

// TestHalfWrittenFilesAreNotShared: a file another program still writes, or wrote a moment
// ago, or that grew while it was sent, is not published; once the copy is done it is.
func TestHalfWrittenFilesAreNotShared(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Omar Haddad")
	if err := s.EnsureFolders(ctx); err != nil {
		t.Fatal(err)
	}
	client := ids["Omar Haddad"]
	shared := filepath.Join(s.Root, "Omar Haddad", SharedDir)
	published := func() []string {
		t.Helper()
		ops, err := s.Store.PendingOps(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, op := range ops {
			var f api.File
			json.Unmarshal(op.Data, &f)
			out = append(out, f.Name+" "+f.SHA256)
		}
		return out
	}
	again := func() { // what the watcher and the retry timer do
		t.Helper()
		if err := s.Scan(ctx, []string{"Omar Haddad"}); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		clear(s.notBefore)
		s.mu.Unlock()
		if _, err := s.transferSome(ctx, &fakePortal{}); err != nil {
			t.Fatal(err)
		}
	}

	// Held open by the program copying it (Linux and Windows can tell).
	scan := filepath.Join(shared, "scan.pdf")
	out, err := os.Create(scan)
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString("page one")
	then := time.Now().Add(-time.Minute)
	os.Chtimes(scan, then, then)
	again()
	if runtime.GOOS == "linux" || runtime.GOOS == "windows" {
		if got := published(); len(got) != 0 {
			t.Fatalf("published while still open for writing: %v", got)
		}
		row, _, _ := s.Store.FileAt(ctx, client, SharedDir+"/scan.pdf")
		if row.State != store.FileWaiting || row.Error != errCopying.Error() {
			t.Fatalf("the row while copying: %+v", row)
		}
	}
	out.WriteString(", page two")
	out.Close()
	os.Chtimes(scan, then, then)
	again()
	if got := published(); !slices.Equal(got, []string{"scan.pdf " + sum("page one, page two")}) {
		t.Fatalf("published %v, want the whole scan", got)
	}

	// Written a moment ago, by a program that closed it between two pieces.
	part := filepath.Join(shared, "part.pdf")
	if err := os.WriteFile(part, []byte("first half"), 0o644); err != nil {
		t.Fatal(err)
	}
	again()
	if got := published(); len(got) != 1 {
		t.Fatalf("published a file changed a moment ago: %v", got)
	}

	// Grew while it was sent: that version is never shown; the whole file is hashed again.
	grown := filepath.Join(shared, "grown.pdf")
	write(t, grown, "the start")
	s.Scan(ctx, []string{"Omar Haddad"})
	if _, err := s.transferSome(ctx, &growingPortal{grow: grown}); err != nil {
		t.Fatal(err)
	}
	for _, p := range published() {
		if strings.HasPrefix(p, "grown.pdf") {
			t.Fatalf("published the version sent while it grew: %s", p)
		}
	}
	row, _, _ := s.Store.FileAt(ctx, client, SharedDir+"/grown.pdf")
	if row.SHA256 != sum("the start and the rest") || row.State != store.FileWaiting {
		t.Fatalf("after growing while sent: %+v", row)
	}
}

// A wait for a file that left the work (deleted, say) is forgotten: a due wait nobody
// consumes would wake the worker at once, for ever.
func TestWaitsOfFilesGoneAreForgotten(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, "Omar Haddad")
	s.retryLater("01JDQ3ZC0000000000000000ZZ", time.Now().Add(-time.Second))
	if s.nextTry() == nil {
		t.Fatal("the wait was not recorded")
	}
	if _, err := s.transferSome(ctx, &fakePortal{}); err != nil {
		t.Fatal(err)
	}
	if s.nextTry() != nil {
		t.Fatal("a wait of a file not in the work is still there")
	}
}

// A file this desktop could not send (in error) is not the version both agreed on: a newer
// one from another desktop goes beside it.
func TestNewerVersionKeepsAFileInError(t *testing.T) {
	ctx := context.Background()
	s, ids := newService(t, "Omar Haddad")
	client := ids["Omar Haddad"]
	id := "01JDQ3ZC0000000000000000AC"
	if err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		return tx.PutFile(ctx, store.File{ID: id, ClientID: client, Path: SharedDir + "/big.pdf", SHA256: sum("local edit"),
			Size: 10, Source: api.SourceFirm, State: store.FileError, Error: "too large", OnPortal: true})
	}); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(api.File{ClientID: client, Name: "big.pdf", SHA256: sum("theirs"), Size: 6, Source: api.SourceFirm, Visible: true})
	if err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		return s.Apply(ctx, tx, api.Change{Seq: 1, Kind: api.KindFilePut, EntityID: id, Data: data})
	}); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.Store.File(ctx, id); f.Replaces != "" || f.State != store.FileDownloading {
		t.Fatalf("after a newer version over a file in error: %+v", f)
	}
}
