package desktop_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/desktop"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/files"
	"portico/backend/desktop/secrets"
)

// childDesktopEnv makes the test binary a desktop backend (data dir and library in the
// value) that syncs until killed: the test kills it with SIGKILL, as a crash or a power cut.
const childDesktopEnv = "PORTICO_TEST_CHILD_DESKTOP"

func runChildDesktop(dirs string) {
	data, lib, _ := strings.Cut(dirs, string(os.PathListSeparator))
	d, err := desktop.Open(context.Background(), desktop.Config{DataDir: data, LibraryDir: lib, Keyring: secrets.OS{}, DeviceName: "child"})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	if err := d.Session.Resume(context.Background()); err != nil {
		fmt.Println("resume:", err)
		os.Exit(2)
	}
	fmt.Println("ready")
	select {}
}

func startChild(t *testing.T, data, lib string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childDesktopEnv+"="+data+string(os.PathListSeparator)+lib)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("child desktop: %q", line)
	}
	return cmd
}

// bigFile writes size bytes that do not compress, without holding them in memory.
func bigFile(t *testing.T, path string, size int64) string {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return writeRandom(t, f, size, [32]byte{1, 2, 3})
}

// writeRandom writes size bytes from a seeded generator and returns their SHA-256.
func writeRandom(t *testing.T, w io.Writer, size int64, seed [32]byte) string {
	t.Helper()
	h := sha256.New()
	if _, err := io.CopyN(io.MultiWriter(w, h), rand.NewChaCha8(seed), size); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// uploads lists the tus uploads in progress on the portal: id → bytes received.
func uploads(t *testing.T, portalData string) map[string]int64 {
	dir := filepath.Join(portalData, "files", "uploads")
	entries, _ := os.ReadDir(dir)
	out := map[string]int64{}
	for _, e := range entries {
		if name := e.Name(); !strings.Contains(name, ".") && !strings.HasPrefix(name, "ingest-") {
			if info, err := e.Info(); err == nil {
				out[name] = info.Size()
			}
		}
	}
	return out
}

// TestUploadResumesAfterKill: the desktop backend is killed with SIGKILL halfway through a
// 500 MB upload and started again; it goes on with the same tus upload from where the portal
// got to, and the bytes on the portal have the file's SHA-256.
func TestUploadResumesAfterKill(t *testing.T) {
	requireSharedKeyring(t)
	if testing.Short() {
		t.Skip("moves 500 MB")
	}
	ctx := context.Background()
	portalData, lib, data := t.TempDir(), t.TempDir(), t.TempDir()
	createFirm(t, portalData, "Ledger & Sons", "owner@ledger.test", "a-long-password")
	p := startPortald(t, portalData, "")

	// Sign in and make the client with a desktop in this process, then hand over.
	d, err := desktop.Open(ctx, desktop.Config{DataDir: data, LibraryDir: lib, Keyring: secrets.OS{}, DeviceName: "desk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Session.SignIn(ctx, p.url(), "owner@ledger.test", "a-long-password"); err != nil {
		t.Fatal(err)
	}
	_, err = d.Clients.Create(ctx, clients.Input{Name: "Big Files Inc", People: []clients.PersonInput{{Role: "primary", Name: "Bea"}}})
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(lib, "Big Files Inc", files.SharedDir)
	waitFor(t, 10*time.Second, "the client synced and its folder made", func() bool {
		_, err := os.Stat(shared)
		return err == nil && syncState(t, d).Pending == 0
	})
	d.Close() // still signed in: the token stays in the keyring for the child
	t.Cleanup(func() {
		d, err := desktop.Open(ctx, desktop.Config{DataDir: data, LibraryDir: lib, Keyring: secrets.OS{}})
		if err == nil {
			d.Session.SignOut(ctx)
			d.Close()
		}
	})

	const size = 500 << 20
	src := filepath.Join(t.TempDir(), "scan.bin")
	sum := bigFile(t, src, size)
	child := startChild(t, data, lib)
	if err := os.Rename(src, filepath.Join(shared, "2025 scans.bin")); err != nil {
		t.Fatal(err)
	}
	var id string
	var atKill int64
	waitFor(t, 60*time.Second, "the upload to pass 100 MB", func() bool {
		for k, n := range uploads(t, portalData) {
			id, atKill = k, n
		}
		return atKill >= 100<<20
	})
	child.Process.Kill() // SIGKILL: no chance to tidy up
	child.Wait()
	if atKill >= size {
		t.Fatalf("the upload finished before the kill (%d bytes)", atKill)
	}
	t.Logf("killed with at least %d MB on the portal", atKill>>20)

	startChild(t, data, lib)
	blob := filepath.Join(portalData, "files", "blobs", sum[:2], sum)
	waitFor(t, 120*time.Second, "the upload to finish", func() bool {
		// Resuming is the same tus upload growing from where it was: a new upload, or this
		// one with fewer bytes than before the kill, would be starting over.
		for k, n := range uploads(t, portalData) {
			if k != id {
				t.Fatalf("the restarted desktop began a new upload %s instead of resuming %s", k, id)
			}
			if n < atKill {
				t.Fatalf("upload %s went back to %d bytes from %d", k, n, atKill)
			}
		}
		_, err := os.Stat(blob)
		return err == nil
	})
	f, err := os.Open(blob)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		t.Fatalf("portal blob %s, file %s", got, sum)
	}
}
