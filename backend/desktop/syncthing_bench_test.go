package desktop_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"portico/backend/testkit/figures"
)

// The peer: make bench runs the two drop figures between two Syncthing v1.30.0 instances on
// loopback (scripts/syncthing.sh builds it; PORTICO_SYNCTHING is the binary), at Syncthing's
// default watcher delay (10 s) and at 1 s, as drop_*_syncthing figures beside ours. A file is
// there for the peer once the second instance has it under its name: Syncthing writes a
// temporary file and renames it when the content is complete and checked.

// syncthing is one running instance, driven through its REST API.
type syncthing struct {
	t      *testing.T
	home   string
	gui    string
	key    string
	listen string
	id     string
	cmd    *exec.Cmd
	log    syncBuffer
}

func startSyncthing(t *testing.T, bin string) *syncthing {
	t.Helper()
	s := &syncthing{t: t, home: t.TempDir(), gui: freeAddr(t), listen: freeAddr(t), key: fmt.Sprintf("bench-%x", rand.Uint64())}
	if out, err := exec.Command(bin, "generate", "--home="+s.home, "--no-default-folder", "--skip-port-probing").CombinedOutput(); err != nil {
		t.Fatalf("syncthing generate: %v\n%s", err, out)
	}
	// Loopback only, nothing reported or fetched from the internet.
	cfgPath := filepath.Join(s.home, "config.xml")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	for tag, value := range map[string]string{
		"listenAddress": "tcp://" + s.listen, "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false",
		"relaysEnabled": "false", "natEnabled": "false", "urAccepted": "-1", "crashReportingEnabled": "false",
		"startBrowser": "false", "autoUpgradeIntervalH": "0",
	} {
		re := regexp.MustCompile(`<` + tag + `>[^<]*</` + tag + `>`)
		if !re.Match(cfg) {
			t.Fatalf("syncthing's config has no <%s>", tag)
		}
		cfg = re.ReplaceAll(cfg, []byte("<"+tag+">"+value+"</"+tag+">"))
	}
	if err := os.WriteFile(cfgPath, cfg, 0o600); err != nil {
		t.Fatal(err)
	}
	s.cmd = exec.Command(bin, "serve", "--home="+s.home, "--no-browser", "--no-restart", "--no-upgrade",
		"--gui-address=http://"+s.gui, "--gui-apikey="+s.key, "--logfile=-")
	s.cmd.Stdout, s.cmd.Stderr = &s.log, &s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	})
	waitFor(t, 30*time.Second, "syncthing's API", func() bool {
		var st struct{ MyID string }
		if s.call("GET", "/rest/system/status", nil, &st) != nil {
			return false
		}
		s.id = st.MyID
		return s.id != ""
	})
	return s
}

// call makes one REST call; out, when not nil, receives the JSON answer.
func (s *syncthing) call(method, path string, in, out any) error {
	var body bytes.Buffer
	if in != nil {
		json.NewEncoder(&body).Encode(in)
	}
	req, _ := http.NewRequest(method, "http://"+s.gui+path, &body)
	req.Header.Set("X-API-Key", s.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if out != nil {
		return json.NewDecoder(resp.Body).Decode(out)
	}
	return nil
}

func (s *syncthing) must(method, path string, in any) {
	s.t.Helper()
	if err := s.call(method, path, in, nil); err != nil {
		s.t.Fatalf("syncthing: %v\n%s", err, s.log.String())
	}
}

// syncthingPair starts two instances that know each other and share one folder, watched
// with the given delay; it returns the folder on each side.
func syncthingPair(t *testing.T, watchDelay int) (from, to string) {
	t.Helper()
	bin := os.Getenv("PORTICO_SYNCTHING")
	if bin == "" {
		t.Fatal("PORTICO_SYNCTHING is not set: make bench builds Syncthing with scripts/syncthing.sh")
	}
	a, b := startSyncthing(t, bin), startSyncthing(t, bin)
	from, to = t.TempDir(), t.TempDir()
	for _, side := range []struct {
		me, peer *syncthing
		dir      string
	}{{a, b, from}, {b, a, to}} {
		side.me.must("PUT", "/rest/config/devices/"+side.peer.id, map[string]any{
			"deviceID": side.peer.id, "name": "peer", "addresses": []string{"tcp://" + side.peer.listen}})
		side.me.must("PUT", "/rest/config/folders/bench", map[string]any{
			"id": "bench", "label": "bench", "path": side.dir, "type": "sendreceive",
			"devices":          []map[string]string{{"deviceID": side.me.id}, {"deviceID": side.peer.id}},
			"fsWatcherEnabled": true, "fsWatcherDelayS": watchDelay, "rescanIntervalS": 3600})
	}
	waitFor(t, time.Minute, "the two Syncthings to connect", func() bool {
		var c struct {
			Connections map[string]struct{ Connected bool }
		}
		return a.call("GET", "/rest/system/connections", nil, &c) == nil && c.Connections[b.id].Connected
	})
	for _, s := range []*syncthing{a, b} {
		waitFor(t, time.Minute, "the folder idle", func() bool {
			var st struct{ State string }
			return s.call("GET", "/rest/db/status?folder=bench", nil, &st) == nil && st.State == "idle"
		})
	}
	return from, to
}

func TestBenchSyncthingDrop(t *testing.T) {
	figures.Bench(t)
	for _, delay := range []struct {
		seconds int
		suffix  string
		drops   int
	}{{10, "", 10}, {1, "_1s", 40}} {
		p95 := figures.Figure{Name: "drop_to_visible_syncthing" + delay.suffix + "_p95_ms", Unit: "ms"}
		many := figures.Figure{Name: "drop_1000_files_syncthing" + delay.suffix + "_s", Unit: "s"}
		for run := range figures.Runs() {
			from, to := syncthingPair(t, delay.seconds)
			staging := t.TempDir()
			rng := rand.New(rand.NewPCG(3, uint64(run)))
			for i := range delay.drops {
				content := make([]byte, 1<<20)
				for j := range content {
					content[j] = byte(rng.Uint32())
				}
				onDisk(t, staging, fmt.Sprintf("statement-%02d.pdf", i), content)
			}
			var took []time.Duration
			for i := range delay.drops {
				name := fmt.Sprintf("statement-%02d.pdf", i)
				start := time.Now()
				drop(t, staging, from, name)
				until(t, time.Minute, "the file on the other Syncthing", func() bool { return complete(filepath.Join(to, name), 1<<20) })
				took = append(took, time.Since(start))
				time.Sleep(50 * time.Millisecond)
			}
			p95.Add(figures.Ms(figures.Percentile(took, 0.95)))

			const n = 1000
			for i := range n {
				onDisk(t, staging, fmt.Sprintf("receipt-%04d.jpg", i), []byte(fmt.Sprintf("receipt %d %d %s", run, i, strings.Repeat("x", 8000))))
			}
			start := time.Now()
			for i := range n {
				drop(t, staging, from, fmt.Sprintf("receipt-%04d.jpg", i))
			}
			waitFor(t, 5*time.Minute, "all 1,000 on the other Syncthing", func() bool {
				entries, err := os.ReadDir(to)
				if err != nil {
					return false
				}
				done := 0
				for _, e := range entries {
					if strings.HasPrefix(e.Name(), "receipt-") {
						done++
					}
				}
				return done == n
			})
			many.Add(time.Since(start).Seconds())
		}
		p95.Print()
		many.Print()
	}
}

// complete tells whether path is there with size bytes.
func complete(path string, size int64) bool {
	info, err := os.Stat(path)
	return err == nil && info.Size() == size
}
