package desktop_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"portico/backend/api"
	"portico/backend/desktop"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/files"
	"portico/backend/desktop/secrets"
	"portico/backend/desktop/syncer"
	"portico/backend/testkit/testtool"
)

// These tests run real parts: portald as a separate process on loopback, two desktop
// backends each with its own SQLite, and the OS keyring. make test runs them inside
// scripts/with-keyring.sh (a dbus-run-session with an unlocked gnome-keyring); a plain
// go test runs them on go-keyring's in-memory mock, all but the one whose desktop is a
// second process and needs a keyring both processes share.

var portaldBin string

func TestMain(m *testing.M) {
	if dir := os.Getenv(childDesktopEnv); dir != "" {
		runChildDesktop(dir) // never returns: the test kills it
	}
	if spec := os.Getenv(uploadChildEnv); spec != "" {
		runUploadChild(spec) // exits
	}
	if os.Getenv("PORTICO_REAL_KEYRING") == "" {
		keyring.MockInit()
		testKeyring = &lockedMock{}
	}
	syncer.BackoffBase, syncer.BackoffMax = 20*time.Millisecond, 200*time.Millisecond
	syncer.PullWait = 2 * time.Second
	files.CopySettle = 300 * time.Millisecond // Linux tells open files; the tests write theirs at once
	dir, err := os.MkdirTemp("", "portald-bin")
	if err != nil {
		panic(err)
	}
	portaldBin = filepath.Join(dir, "portald")
	build := exec.Command("go", "build", "-o", portaldBin, "portico/cmd/portald")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building portald:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testKeyring is the OS keyring under scripts/with-keyring.sh, else go-keyring's mock.
var testKeyring secrets.Keyring = secrets.OS{}

// lockedMock makes one call at a time to go-keyring's mock, which has no lock of its own.
type lockedMock struct{ mu sync.Mutex }

func (l *lockedMock) Get(service, user string) (string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return keyring.Get(service, user)
}

func (l *lockedMock) Set(service, user, secret string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return keyring.Set(service, user, secret)
}

func (l *lockedMock) Delete(service, user string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return keyring.Delete(service, user)
}

// requireSharedKeyring is for a test whose desktop runs in a second process: only the OS
// keyring is seen by both. In CI (make test) it is always there.
func requireSharedKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("PORTICO_REAL_KEYRING") == "" {
		if testtool.Required() {
			t.Fatal("make test runs this inside scripts/with-keyring.sh, which sets PORTICO_REAL_KEYRING")
		}
		t.Skip("the desktop of this test is a second process: it needs the OS keyring (run under scripts/with-keyring.sh, as make test does)")
	}
}

// portald is a running portald process.
type portald struct {
	t    *testing.T
	addr string
	data string
	cmd  *exec.Cmd
	log  syncBuffer
}

// syncBuffer is portald's output, read by the test while the process still writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startPortald(t *testing.T, data, addr string, extra ...string) *portald {
	t.Helper()
	if addr == "" {
		addr = freeAddr(t)
	}
	p := &portald{t: t, addr: addr, data: data}
	p.cmd = exec.Command(portaldBin, append([]string{"serve", "--addr", addr, "--data", data}, extra...)...)
	p.cmd.Stdout, p.cmd.Stderr = &p.log, &p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.stop)
	waitFor(t, 10*time.Second, "portald healthy", func() bool {
		resp, err := http.Get(p.url() + api.PathHealth)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return p
}

func (p *portald) url() string { return "http://" + p.addr }

// stop shuts portald down gracefully and waits for it.
func (p *portald) stop() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			p.t.Errorf("portald exited with %v after SIGTERM\n%s", err, p.log.String())
		}
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-done
		p.t.Errorf("portald did not stop within 20s of SIGTERM")
	}
}

func createFirm(t *testing.T, data, name, email, password string) {
	t.Helper()
	out, err := exec.Command(portaldBin, "firm", "create", "--data", data, "--name", name,
		"--admin-email", email, "--admin-password", password).CombinedOutput()
	if err != nil {
		t.Fatalf("firm create: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "Email:      "+email) {
		t.Fatalf("firm create does not print the sign-in details:\n%s", out)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func openDesktop(t *testing.T, name string, hc *http.Client) *desktop.Desktop {
	t.Helper()
	d, err := desktop.Open(context.Background(), desktop.Config{
		DataDir: filepath.Join(t.TempDir(), name), Keyring: testKeyring, DeviceName: name, HTTP: hc,
		LibraryDir: filepath.Join(t.TempDir(), name+"-library"),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.Session.SignOut(context.Background())
		d.Close()
	})
	return d
}

func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	poll(t, limit, 20*time.Millisecond, what, cond)
}

// poll checks cond every so often until it holds, failing the test after limit.
func poll(t *testing.T, limit, every time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(every)
	}
}

func names(t *testing.T, d *desktop.Desktop, search string) []string {
	t.Helper()
	list, err := d.Clients.List(context.Background(), search, true)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range list {
		out = append(out, c.Name)
	}
	return out
}

func syncState(t *testing.T, d *desktop.Desktop) syncer.Status {
	t.Helper()
	st, err := d.Sync.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestTwoDesktopsConvergeThroughPortald(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	createFirm(t, data, "Ledger & Sons", "owner@ledger.test", "a-long-password")
	p := startPortald(t, data, "")

	a := openDesktop(t, "desk-a", nil)
	b := openDesktop(t, "desk-b", nil)

	// Sign-in errors are clear.
	if _, err := a.Session.SignIn(ctx, p.url(), "owner@ledger.test", "wrong-password"); err == nil ||
		!strings.Contains(err.Error(), "wrong email or password") {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := a.Session.SignIn(ctx, "http://"+freeAddr(t), "owner@ledger.test", "a-long-password"); err == nil ||
		!strings.Contains(err.Error(), "cannot reach the portal") {
		t.Fatalf("unreachable portal: %v", err)
	}
	for _, d := range []*desktop.Desktop{a, b} {
		st, err := d.Session.SignIn(ctx, p.url(), "owner@ledger.test", "a-long-password")
		if err != nil {
			t.Fatal(err)
		}
		if !st.SignedIn || st.FirmName != "Ledger & Sons" {
			t.Fatalf("status after sign-in: %+v", st)
		}
	}

	// The token is in the keyring and nowhere in the desktop's files.
	acct, _ := a.Store.Setting(ctx, "device.keyring_account")
	token, err := secrets.Tokens{Keyring: testKeyring}.Get(acct)
	if err != nil || token == "" {
		t.Fatalf("token in keyring: %q, %v", token, err)
	}
	assertNotInFiles(t, a.DataDir, token)

	// Writes on A arrive on B.
	smith, err := a.Clients.Create(ctx, clients.Input{Name: "Smith Household", People: []clients.PersonInput{
		{Role: "primary", Name: "Ann Smith", Email: "ann@smith.test", Phone: "555-0100"},
		{Role: "spouse", Name: "Bob Smith", Email: "bob@smith.test"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Clients.Create(ctx, clients.Input{Name: "Jones LLC"}); err != nil {
		t.Fatal(err)
	}
	in := clients.Input{Name: "Smith Family", People: []clients.PersonInput{
		{ID: smith.People[0].ID, Role: "primary", Name: "Ann Smith", Email: "ann@smith.test", Phone: "555-0100"},
	}}
	if _, err := a.Clients.Update(ctx, smith.ID, in); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "B to see A's clients", func() bool {
		return strings.Join(names(t, b, ""), ",") == "Jones LLC,Smith Family"
	})
	got, err := b.Clients.Get(ctx, smith.ID)
	if err != nil || len(got.People) != 1 || got.People[0].Email != "ann@smith.test" {
		t.Fatalf("B's copy of the edited client: %+v, %v", got, err)
	}
	if n := names(t, b, "555-01"); len(n) != 1 {
		t.Fatalf("B finds by phone: %v", n)
	}

	// And the other way round.
	if _, err := b.Clients.SetArchived(ctx, smith.ID, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "A to see the archive", func() bool {
		c, err := a.Clients.Get(ctx, smith.ID)
		return err == nil && c.Archived
	})
	waitFor(t, 10*time.Second, "both synced", func() bool {
		return syncState(t, a).State == syncer.StateSynced && syncState(t, b).State == syncer.StateSynced
	})

	// Portal down: A keeps working offline.
	p.stop()
	offline, err := a.Clients.Create(ctx, clients.Input{Name: "Offline Bakery", People: []clients.PersonInput{
		{Role: "primary", Name: "Olga Baker", Email: "olga@bakery.test"},
	}})
	if err != nil {
		t.Fatalf("create while offline: %v", err)
	}
	if _, err := a.Clients.Update(ctx, offline.ID, clients.Input{Name: "Offline Bakery Ltd", People: []clients.PersonInput{
		{ID: offline.People[0].ID, Role: "primary", Name: "Olga Baker", Email: "olga@bakery.test"},
	}}); err != nil {
		t.Fatal(err)
	}
	if n := names(t, a, "olga"); len(n) != 1 || n[0] != "Offline Bakery Ltd" {
		t.Fatalf("A finds its offline write: %v", n)
	}
	waitFor(t, 10*time.Second, "A to show offline with 2 pending", func() bool {
		st := syncState(t, a)
		return st.State == syncer.StateOffline && st.Pending == 2 && st.LastError != ""
	})

	// Portal back: the writes arrive once.
	p2 := startPortald(t, data, p.addr)
	waitFor(t, 15*time.Second, "B to see the offline write", func() bool {
		n := names(t, b, "bakery")
		return len(n) == 1 && n[0] == "Offline Bakery Ltd"
	})
	waitFor(t, 10*time.Second, "A synced again", func() bool { return syncState(t, a).State == syncer.StateSynced })
	feed := fullFeed(t, p2.url(), "owner@ledger.test", "a-long-password")
	if n := countEntity(feed, offline.ID); n != 2 {
		t.Fatalf("the offline client has %d changes in the feed, want exactly 2 (create, edit)", n)
	}
	if len(feed) != 6 { // 2 creates, an edit and an archive online; a create and an edit offline
		t.Fatalf("feed has %d changes, want 6", len(feed))
	}

	// Sign-out deletes the token from the keyring and revokes it.
	if err := a.Session.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := (secrets.Tokens{Keyring: testKeyring}).Get(acct); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("token still in keyring after sign-out: %v", err)
	}
	_, err = (&syncer.Client{BaseURL: p2.url(), Token: token}).Me(ctx)
	var se *syncer.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
		t.Fatalf("revoked token still works: %v", err)
	}
	if st := syncState(t, a); st.State != syncer.StateSignedOut {
		t.Fatalf("state after sign-out: %+v", st)
	}
}

// TestLostAckDoesNotApplyTwice drops the portal's answer to the first push, as a network
// cut after the portal committed would: the retry carries the same op ids and the portal
// answers from its record instead of applying them again.
func TestLostAckDoesNotApplyTwice(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	createFirm(t, data, "Retry Partners", "staff@retry.test", "a-long-password")
	p := startPortald(t, data, "")

	front, dropped := losePushAnswers(t, p.url(), func(n int32) bool { return n == 1 })

	a := openDesktop(t, "desk-a", nil)
	if _, err := a.Session.SignIn(ctx, front, "staff@retry.test", "a-long-password"); err != nil {
		t.Fatal(err)
	}
	c, err := a.Clients.Create(ctx, clients.Input{Name: "Once Only Inc"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the op to be acknowledged", func() bool {
		st := syncState(t, a)
		return st.Pending == 0 && st.State == syncer.StateSynced
	})
	// Either the retried push was answered as a duplicate, or the puller saw the op in the
	// feed and acknowledged it; both must leave exactly one change.
	if dropped.Load() < 1 {
		t.Fatal("the push never reached the portal")
	}
	if n := countEntity(fullFeed(t, p.url(), "staff@retry.test", "a-long-password"), c.ID); n != 1 {
		t.Fatalf("%d changes for one op, want 1", n)
	}
}

func fullFeed(t *testing.T, base, email, password string) []api.Change {
	t.Helper()
	ctx := context.Background()
	c := &syncer.Client{BaseURL: base}
	resp, err := c.SignIn(ctx, email, password, "test-reader")
	if err != nil {
		t.Fatal(err)
	}
	c.Token = resp.Token
	defer c.Revoke(ctx)
	var all []api.Change
	var cursor int64
	for {
		page, err := c.Changes(ctx, cursor, 1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Changes...)
		cursor = page.Cursor
		if !page.More {
			return all
		}
	}
}

func countEntity(feed []api.Change, id string) int {
	n := 0
	for _, ch := range feed {
		if ch.EntityID == id {
			n++
		}
	}
	return n
}

func assertNotInFiles(t *testing.T, dir, secret string) {
	t.Helper()
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("the device token is stored in %s", path)
		}
		return nil
	})
}

// TestFeedAcknowledgesOpsWhoseAnswerWasLost: desktop A never hears the portal's answer to
// its pushes, yet its op is in the feed. When desktop B then edits the same client, A must
// take B's edit: the feed proves A's op reached the portal, so it is no longer pending.
func TestFeedAcknowledgesOpsWhoseAnswerWasLost(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	createFirm(t, data, "Lost Answers LLP", "staff@lost.test", "a-long-password")
	p := startPortald(t, data, "")

	front, _ := losePushAnswers(t, p.url(), func(int32) bool { return true })

	a := openDesktop(t, "desk-a", nil)
	b := openDesktop(t, "desk-b", nil)
	if _, err := a.Session.SignIn(ctx, front, "staff@lost.test", "a-long-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Session.SignIn(ctx, p.url(), "staff@lost.test", "a-long-password"); err != nil {
		t.Fatal(err)
	}
	c, err := a.Clients.Create(ctx, clients.Input{Name: "Written By A"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "B to see A's client", func() bool { return len(names(t, b, "written")) == 1 })
	if _, err := b.Clients.Update(ctx, c.ID, clients.Input{Name: "Edited By B"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "A to take B's edit", func() bool {
		got, err := a.Clients.Get(ctx, c.ID)
		return err == nil && got.Name == "Edited By B"
	})
	if st := syncState(t, a); st.Pending != 0 {
		t.Fatalf("A still has %d pending ops after the feed showed them applied", st.Pending)
	}
}

// losePushAnswers puts a proxy before portald that forwards every push but throws away the
// portal's answer when lose says so for the n-th successful answer (from 1), as a network
// cut after the portal committed would. It returns the proxy's URL and the answer count.
func losePushAnswers(t *testing.T, portalURL string, lose func(n int32) bool) (string, *atomic.Int32) {
	t.Helper()
	target, _ := url.Parse(portalURL)
	var answers atomic.Int32
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.URL.Path == api.PathOps && resp.StatusCode == http.StatusOK && lose(answers.Add(1)) {
			io.Copy(io.Discard, resp.Body)
			return errors.New("connection cut after the portal committed")
		}
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return front.URL, &answers
}
