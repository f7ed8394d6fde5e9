package desktop_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/files"
	"portico/backend/desktop/invites"
	"portico/backend/desktop/syncer"
	"portico/backend/sqlite"
	"portico/backend/testkit/figures"
)

// sharedClient starts portald with Mailpit and a desktop, makes a client with a signed-in
// portal user, and returns the client's shared folder, a probe that counts the files the
// client may see (one count query on portald's database, read-only from this process: a
// page render every few milliseconds would take the cores being measured), and the count
// the client's Files page shows, to check the probe against once at the end.
func sharedClient(t *testing.T, name string) (shared string, visible, listed func() int) {
	t.Helper()
	ctx := context.Background()
	p, d := startMailedPortal(t, "Bench CPA", "bench@cpa.test", "bench")
	c, err := d.Clients.Create(ctx, clients.Input{Name: name, People: []clients.PersonInput{
		{Role: "primary", Name: "Pat", Email: "pat@bench.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Invites.Send(ctx, c.ID, invites.Invitation{People: []invites.Person{
		{PersonID: c.People[0].ID, Name: "Pat", Email: "pat@bench.test"}}}); err != nil {
		t.Fatal(err)
	}
	client := acceptAsClient(t, linkIn(t, p.mail, "pat@bench.test", ""), "correct horse battery")
	shared = filepath.Join(d.Files.Root, name, files.SharedDir)
	waitFor(t, 10*time.Second, "the client's folder", func() bool { _, err := os.Stat(shared); return err == nil })
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(p.data, "portal.db")+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	count, err := db.Prepare(`SELECT count(*) FROM files WHERE client_id = ? AND deleted = 0 AND visible = 1`)
	if err != nil {
		t.Fatal(err)
	}
	visible = func() int {
		var n int
		if err := count.QueryRow(c.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return shared, visible, func() int { return strings.Count(portalFiles(t, client, p.url()), "/download\"") }
}

// drop puts a file into place as Explorer does when a file on the same disk is dragged in:
// renamed, keeping the time it was last written. (A copy from elsewhere is new and waits
// for files.CopySettle, as it must: half a file never reaches the client.)
func drop(t *testing.T, staging, dir, name string) {
	t.Helper()
	if err := os.Rename(filepath.Join(staging, name), filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

// onDisk writes a file into staging as one that has been on the staff member's disk a while.
func onDisk(t *testing.T, staging, name string, content []byte) {
	t.Helper()
	path := filepath.Join(staging, name)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
}

// TestBenchDropToVisible: 1 MB files dropped one at a time into a watched "Shared with
// client" folder, each timed until the client may see it. Shipped settings.
func TestBenchDropToVisible(t *testing.T) {
	figures.Bench(t)
	production(t)
	p50 := figures.Figure{Name: "drop_to_visible_p50_ms", Unit: "ms"}
	p95 := figures.Figure{Name: "drop_to_visible_p95_ms", Unit: "ms"}
	const n = 40
	for run := range figures.Runs() {
		shared, visible, listed := sharedClient(t, fmt.Sprintf("Drop Bench %d LLC", run))
		staging := t.TempDir()
		rng := rand.New(rand.NewPCG(1, uint64(run)))
		for i := range n {
			content := make([]byte, 1<<20)
			for j := range content {
				content[j] = byte(rng.Uint32())
			}
			onDisk(t, staging, fmt.Sprintf("statement-%02d.pdf", i), content)
		}
		var took []time.Duration
		for i := range n {
			start := time.Now()
			drop(t, staging, shared, fmt.Sprintf("statement-%02d.pdf", i))
			until(t, 30*time.Second, "the file on the portal", func() bool { return visible() == i+1 })
			took = append(took, time.Since(start))
			time.Sleep(50 * time.Millisecond) // one drop at a time: the last one's work is done
		}
		if got := listed(); got != n {
			t.Fatalf("the client's Files page lists %d files, the probe counted %d", got, n)
		}
		p50.Add(figures.Ms(figures.Percentile(took, 0.50)))
		p95.Add(figures.Ms(figures.Percentile(took, 0.95)))
	}
	p50.Print()
	p95.Print()
}

// TestBenchDrop1000: 1,000 small files dropped at once, until the client may see them all.
func TestBenchDrop1000(t *testing.T) {
	figures.Bench(t)
	production(t)
	fig := figures.Figure{Name: "drop_1000_files_s", Unit: "s"}
	const n = 1000
	for run := range figures.Runs() {
		shared, visible, listed := sharedClient(t, fmt.Sprintf("Many Files %d Corp", run))
		staging := t.TempDir()
		for i := range n {
			onDisk(t, staging, fmt.Sprintf("receipt-%04d.jpg", i), []byte(fmt.Sprintf("receipt %d %d %s", run, i, bytes.Repeat([]byte("x"), 8000))))
		}
		start := time.Now()
		for i := range n {
			drop(t, staging, shared, fmt.Sprintf("receipt-%04d.jpg", i))
		}
		waitFor(t, 2*time.Minute, "all 1,000 on the portal", func() bool { return visible() == n })
		fig.Add(time.Since(start).Seconds())
		if got := listed(); got != n {
			t.Fatalf("the client's Files page lists %d files, the probe counted %d", got, n)
		}
	}
	fig.Print()
}

// uploadChildEnv makes the test binary send one file and report its time and peak memory:
// "tus URL TOKEN FILE SHA" through the desktop's upload path, or "put URL FILE" as a plain
// HTTP PUT, the baseline.
const uploadChildEnv = "PORTICO_TEST_UPLOAD_CHILD"

func runUploadChild(spec string) {
	f := strings.Fields(spec)
	path := f[2] // put URL FILE
	if f[0] == "tus" {
		path = f[3] // tus URL TOKEN FILE SHA
	}
	file, err := os.Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	info, _ := file.Stat()
	start := time.Now()
	switch f[0] {
	case "tus":
		blobs := (&syncer.Client{BaseURL: f[1], Token: f[2]}).Blobs()
		url, err := blobs.CreateUpload(context.Background(), info.Size(), f[4])
		if err == nil {
			err = blobs.SendUpload(context.Background(), url, file, info.Size(), nil)
		}
		if err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
	case "put":
		req, _ := http.NewRequest(http.MethodPut, f[1], io.NewSectionReader(file, 0, info.Size()))
		req.ContentLength = info.Size()
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			fmt.Println("error", err, resp)
			os.Exit(2)
		}
	}
	elapsed := time.Since(start)
	status, _ := os.ReadFile("/proc/self/status")
	var hwm string
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSuffix(strings.TrimSpace(v), " kB")
		}
	}
	fmt.Println(elapsed.Nanoseconds(), hwm)
	os.Exit(0)
}

// uploadIn runs one upload child; it returns the time and the peak resident memory.
func uploadIn(t *testing.T, args ...string) (time.Duration, int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), uploadChildEnv+"="+strings.Join(args, " "))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("upload child %v: %v\n%s", args[0], err, out)
	}
	var ns, kb int64
	if _, err := fmt.Sscan(string(out), &ns, &kb); err != nil {
		t.Fatalf("upload child said %q", out)
	}
	return time.Duration(ns), kb << 10
}

// TestBenchUpload1G: a 1 GB file through the desktop's tus path to a real portald, beside a
// plain single HTTP PUT of the same file to a handler doing the same work as portald's end
// of tus (hashing while it writes, flushing file and folder to disk, recording a row in
// SQLite), and beside cp then sync, the disk's own ceiling. Each uploader runs in its own
// process so that its peak memory is its own.
func TestBenchUpload1G(t *testing.T) {
	figures.Bench(t)
	data := t.TempDir()
	createFirm(t, data, "Bench CPA", "bench@cpa.test", "a-long-password")
	p := startPortald(t, data, "")
	body, _ := json.Marshal(api.SignInRequest{Email: "bench@cpa.test", Password: "a-long-password", DeviceName: "bench"})
	resp, err := http.Post(p.url()+api.PathDevices, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var signIn api.SignInResponse
	json.NewDecoder(resp.Body).Decode(&signIn)
	resp.Body.Close()

	putDir := t.TempDir()
	put := httptest.NewServer(putBaseline(t, putDir))
	defer put.Close()

	const size = 1 << 30
	tus := figures.Figure{Name: "upload_1g_tus_s", Unit: "s"}
	plain := figures.Figure{Name: "upload_1g_put_baseline_s", Unit: "s"}
	ratio := figures.Figure{Name: "upload_1g_ratio", Unit: "(baseline/tus)"}
	disk := figures.Figure{Name: "upload_1g_cp_sync_s", Unit: "s"}
	rss := figures.Figure{Name: "upload_client_rss_mb", Unit: "MB"}
	// Alternating, each round with a new file (a blob the portal has is not sent again).
	for round := range figures.Runs() {
		src := filepath.Join(t.TempDir(), "big.bin")
		sum := bigFileSeeded(t, src, size, byte(round))
		exec.Command("sync").Run() // the writing above is not the next figure's work
		d, kb := uploadIn(t, "tus", p.url(), signIn.Token, src, sum)
		tus.Add(d.Seconds())
		rss.Add(float64(kb) / (1 << 20))
		exec.Command("sync").Run()
		pd, _ := uploadIn(t, "put", put.URL, src)
		plain.Add(pd.Seconds())
		ratio.Add(pd.Seconds() / d.Seconds())
		exec.Command("sync").Run()
		start := time.Now()
		if out, err := exec.Command("sh", "-c", `cp "$0" "$1" && sync`, src, filepath.Join(putDir, "copy.bin")).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
		disk.Add(time.Since(start).Seconds())
		os.Remove(src)
		os.RemoveAll(filepath.Join(data, "files", "blobs"))
		entries, _ := os.ReadDir(putDir)
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), "put.db") {
				os.RemoveAll(filepath.Join(putDir, e.Name()))
			}
		}
	}
	tus.Print()
	plain.Print()
	ratio.Print()
	disk.Print()
	rss.Print()
}

// putBaseline is a handler for one plain PUT that does what portald does when a tus upload
// ends: the bytes hashed as they are written, the file and its folder flushed, a rename into
// place, and a row saying the blob is there.
func putBaseline(t *testing.T, dir string) http.Handler {
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "put.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, created_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := func() error {
			f, err := os.CreateTemp(dir, "put-*")
			if err != nil {
				return err
			}
			defer f.Close()
			h := sha256.New()
			n, err := io.Copy(io.MultiWriter(f, h), r.Body)
			if err != nil {
				return err
			}
			if err := f.Sync(); err != nil {
				return err
			}
			sum := hex.EncodeToString(h.Sum(nil))
			if err := os.Rename(f.Name(), filepath.Join(dir, sum)); err != nil {
				return err
			}
			d, err := os.Open(dir)
			if err != nil {
				return err
			}
			defer d.Close()
			if err := d.Sync(); err != nil {
				return err
			}
			_, err = db.Exec(`INSERT INTO blobs VALUES (?, ?, ?)`, sum, n, time.Now().UTC().Format(time.RFC3339Nano))
			return err
		}()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// bigFileSeeded is bigFile with its own content per seed.
func bigFileSeeded(t *testing.T, path string, size int64, seed byte) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return writeRandom(t, f, size, [32]byte{seed, 7})
}
