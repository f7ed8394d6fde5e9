package desktop_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/files"
	"portico/backend/desktop/store"
)

// faultyNet sits between the desktops and portald: while on, it refuses some requests,
// delays others and cuts some answers after portald committed, from a seeded random source
// so a failure can be replayed.
type faultyNet struct {
	on    atomic.Bool
	mu    sync.Mutex
	rnd   *rand.Rand
	count [3]atomic.Int32 // refused, delayed, cut
}

func (f *faultyNet) roll() int {
	if !f.on.Load() {
		return 9
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rnd.IntN(10)
}

func startFaultyNet(t *testing.T, portalURL string, seed uint64) (*faultyNet, string) {
	t.Helper()
	f := &faultyNet{rnd: rand.New(rand.NewPCG(seed, seed))}
	target, _ := url.Parse(portalURL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorHandler = func(w http.ResponseWriter, r *http.Request, err error) {
		// portald is down (killed): the desktop sees what a dead server gives, a cut.
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
	}
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.Request.Header.Get("X-Fault") == "cut" {
			f.count[2].Add(1)
			return errors.New("answer cut after portald committed")
		}
		return nil
	}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch roll := f.roll(); {
		case roll == 0:
			f.count[0].Add(1)
			if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
				c.Close()
			}
			return
		case roll == 1:
			f.count[1].Add(1)
			time.Sleep(300 * time.Millisecond) // a slow line, not a wait for something
		case roll == 2:
			r.Header.Set("X-Fault", "cut")
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return f, front.URL
}

// kill ends portald with SIGKILL: no shutdown, no flush.
func (p *portald) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// TestSyncSurvivesKillsAndFaults: desktop A writes clients, edits and files while portald is
// killed three times and the network refuses, delays and cuts requests; B changes one of
// the files. Afterwards A, B and the portal hold exactly the same records and files: nothing
// lost, doubled or stuck, and B has the newer version of the file it did not change.
func TestSyncSurvivesKillsAndFaults(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	createFirm(t, data, "Fault Line CPA", "owner@fault.test", "a-long-password")
	addr := freeAddr(t)
	p := startPortald(t, data, addr)
	faults, via := startFaultyNet(t, p.url(), 13)
	a := openDesktop(t, "desk-a", nil)
	b := openDesktop(t, "desk-b", nil)
	for _, d := range []*desktop.Desktop{a, b} {
		if _, err := d.Session.SignIn(ctx, via, "owner@fault.test", "a-long-password"); err != nil {
			t.Fatal(err)
		}
	}
	home, err := a.Clients.Create(ctx, clients.Input{Name: "Files Household"})
	if err != nil {
		t.Fatal(err)
	}
	folderA := filepath.Join(a.Files.Root, "Files Household", files.SharedDir)
	folderB := filepath.Join(b.Files.Root, "Files Household", files.SharedDir)
	waitFor(t, 20*time.Second, "both client folders", func() bool {
		_, errA := os.Stat(folderA)
		_, errB := os.Stat(folderB)
		return errA == nil && errB == nil
	})

	faults.on.Store(true)
	const n = 30
	want := map[string]string{home.ID: "Files Household"}
	contents := map[string][]byte{}
	for i := range n {
		c, err := a.Clients.Create(ctx, clients.Input{Name: fmt.Sprintf("Client %02d", i)})
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("Client %02d (edited)", i)
		if _, err := a.Clients.Update(ctx, c.ID, clients.Input{Name: name}); err != nil {
			t.Fatal(err)
		}
		want[c.ID] = name
		if i%6 == 0 {
			body := bytes.Repeat([]byte(fmt.Sprintf("document %d ", i)), 300<<(i/6)) // 3 KB to 1.5 MB
			file := fmt.Sprintf("Document %02d.pdf", i)
			contents[file] = body
			writeFile(t, filepath.Join(folderA, file), body)
		}
		if i%10 == 9 { // portald dies mid-stream and comes back
			p.kill()
			p = startPortald(t, data, addr)
		}
	}
	// B changes one file once it has it; A must end with B's version, as must the portal.
	changed := "Document 00.pdf"
	fileNamed(t, b, home.ID, changed, "B to receive "+changed, synced)
	contents[changed] = []byte("changed on B")
	writeFile(t, filepath.Join(folderB, changed), contents[changed])

	// Everything settles through the faults.
	settled := func(d *desktop.Desktop, folder string) bool {
		st := syncState(t, d)
		if have, _ := d.Clients.List(ctx, "", true); st.Pending != 0 || st.Failed != 0 || len(have) != len(want) {
			return false
		}
		list, _ := d.Files.List(ctx, home.ID)
		if len(list) != len(contents) {
			return false
		}
		for _, f := range list {
			got, err := os.ReadFile(filepath.Join(folder, f.Name))
			if f.State != store.FileSynced || err != nil || !bytes.Equal(got, contents[f.Name]) {
				return false
			}
		}
		return true
	}
	waitFor(t, 90*time.Second, "A and B to settle with the same files", func() bool {
		return settled(a, folderA) && settled(b, folderB)
	})
	faults.on.Store(false)
	t.Logf("faults: %d refused, %d delayed, %d answers cut; portald killed 3 times",
		faults.count[0].Load(), faults.count[1].Load(), faults.count[2].Load())
	if faults.count[0].Load() == 0 || faults.count[2].Load() == 0 {
		t.Fatal("the faulty network never refused or cut: the test proved nothing")
	}

	// Every record as A wrote it, on A, on B and on the portal; no file twice, nothing else on disk.
	for _, d := range []*desktop.Desktop{a, b} {
		for id, name := range want {
			if c, err := d.Clients.Get(ctx, id); err != nil || c.Name != name {
				t.Errorf("%s: client %s is %q (%v), want %q", d.DataDir, id, c.Name, err, name)
			}
		}
	}
	for _, folder := range []string{folderA, folderB} {
		entries, _ := os.ReadDir(folder)
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		wantNames := make([]string, 0, len(contents))
		for name := range contents {
			wantNames = append(wantNames, name)
		}
		slices.Sort(wantNames)
		if !slices.Equal(got, wantNames) {
			t.Errorf("%s holds %v, want %v", folder, got, wantNames)
		}
	}
	portal := map[string]api.Client{}
	sharedOn := map[string]string{} // file id → sha on the portal
	for _, ch := range fullFeed(t, p.url(), "owner@fault.test", "a-long-password") {
		switch ch.Kind {
		case api.KindClientPut:
			var c api.Client
			if err := json.Unmarshal(ch.Data, &c); err == nil {
				portal[ch.EntityID] = c
			}
		case api.KindFilePut:
			var f api.File
			if err := json.Unmarshal(ch.Data, &f); err == nil && !f.Deleted && f.Visible {
				sharedOn[ch.EntityID] = f.Name + " " + f.SHA256
			} else {
				delete(sharedOn, ch.EntityID)
			}
		}
	}
	if len(portal) != len(want) {
		t.Errorf("the portal has %d clients, want %d", len(portal), len(want))
	}
	for id, name := range want {
		if portal[id].Name != name {
			t.Errorf("the portal's client %s: %q, want %q", id, portal[id].Name, name)
		}
	}
	var onPortal []string
	for _, v := range sharedOn {
		onPortal = append(onPortal, v)
	}
	var wantOnPortal []string
	for name, body := range contents {
		wantOnPortal = append(wantOnPortal, name+" "+hexSum(body))
	}
	slices.Sort(onPortal)
	slices.Sort(wantOnPortal)
	if !slices.Equal(onPortal, wantOnPortal) {
		t.Errorf("files shared on the portal:\n%v\nwant\n%v", onPortal, wantOnPortal)
	}
}
