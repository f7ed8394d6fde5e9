package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/testkit/figures"
)

// TestBenchPortalHome is a figure for make bench: 200 signed-in clients, each with 50
// to-dos, 50 files and 20 invoices, loading Home at once on SQLite, through HTTP on loopback
// from a load generator in another process.
func TestBenchPortalHome(t *testing.T) {
	figures.Bench(t)
	const users, todosEach, filesEach, invoicesEach, rounds = 200, 50, 50, 20, 25
	p := newPortal(t)
	ctx := context.Background()
	content := []byte("%PDF-1.7 a statement")
	if st := p.sendBlob(content, ""); st != http.StatusNoContent {
		t.Fatalf("blob upload: %d", st)
	}
	var ops []api.Op
	flush := func() {
		for len(ops) > 0 {
			n := min(len(ops), api.MaxPushOps)
			p.mustPush(ops[:n]...)
			ops = ops[n:]
		}
	}
	for i := range users {
		c := fmt.Sprintf("c%03d", i)
		email := fmt.Sprintf("u%03d@bench.test", i)
		ops = append(ops, op(api.KindClientPut, c, api.Client{Name: "Client " + c,
			People: []api.Person{{ID: "p" + c, Role: api.RolePrimary, Name: "User " + c, Email: email}}}),
			op(api.KindPortalInvite, c, api.Invite{People: []api.Invitee{{Name: "User " + c, Email: email}}}))
		for j := range todosEach {
			ops = append(ops, op(api.KindTodoPut, fmt.Sprintf("t%s-%02d", c, j), api.Todo{ClientID: c,
				Title: fmt.Sprintf("Document %d", j), Due: fmt.Sprintf("2027-%02d-%02d", 1+j%12, 1+j%28), State: api.TodoOpen}))
		}
		for j := range filesEach {
			ops = append(ops, op(api.KindFilePut, ulid.Make().String(), api.File{ClientID: c,
				Name: fmt.Sprintf("Statement %02d.pdf", j), SHA256: sum(content), Size: int64(len(content)),
				Modified: time.Date(2026, 11, 1+j%28, 9, 0, 0, 0, time.UTC), Source: api.SourceFirm, Visible: true}))
		}
		for j := range invoicesEach {
			ops = append(ops, op(api.KindInvoicePut, fmt.Sprintf("i%s-%02d", c, j), api.Invoice{ClientID: c,
				Number: fmt.Sprintf("%s-%02d", c, j), Date: "2026-11-01", State: api.InvoiceOpen,
				Lines: []api.InvoiceLine{{Description: "Work", Quantity: 1, UnitCents: 10000}}}))
		}
		if len(ops) > 5000 {
			flush()
		}
	}
	flush()

	// Accept every invitation and give each user a session, without a browser.
	hash, _ := auth.HashPassword("bench password 1")
	due, err := p.dueMail(p.clock.Now().Add(time.Hour), users+10)
	if err != nil || len(due) != users {
		t.Fatalf("%d invitation mails (%v)", len(due), err)
	}
	cookies := make([]string, 0, users)
	for _, m := range due {
		inv, err := p.db.InvitationByToken(ctx, auth.HashToken(linkRE.FindStringSubmatch(m.Message.Text)[0][len(p.srv.URL)+len("/invite/"):]))
		if err != nil {
			t.Fatal(err)
		}
		if err := p.web.invites.Accept(ctx, inv.ID, hash, db.Acceptance{TermsVersion: TermsVersion}); err != nil {
			t.Fatal(err)
		}
		token, th := auth.NewToken()
		if err := p.db.CreateSession(ctx, inv.User.ID, th, true, p.clock.Now().Add(SessionLife), "", ""); err != nil {
			t.Fatal(err)
		}
		cookies = append(cookies, "portico_session="+token)
	}

	if os.Getenv("PORTICO_BENCH_QUERIES") != "" {
		s, _ := p.db.SessionByHash(ctx, auth.HashToken(cookies[0][len("portico_session="):]))
		for name, f := range map[string]func() error{
			"session": func() error {
				_, err := p.db.SessionByHash(ctx, auth.HashToken(cookies[0][len("portico_session="):]))
				return err
			},
			"clients":  func() error { _, err := p.db.ClientNames(ctx, s.User); return err },
			"todos":    func() error { _, err := p.db.Todos(ctx, s.User, true, HomeTodos); return err },
			"billing?": func() error { _, err := p.db.HasBilling(ctx, s.User); return err },
			"files":    func() error { _, err := p.db.Files(ctx, s.User, HomeFiles); return err },
		} {
			start := time.Now()
			for range 1000 {
				if err := f(); err != nil {
					t.Fatal(err)
				}
			}
			fmt.Printf("query %s: %v each\n", name, time.Since(start)/1000)
		}
	}
	// Warm up in this process: connections, statement cache, templates.
	for _, c := range cookies {
		if _, err := homeOnce(http.DefaultClient, p.srv.URL, c); err != nil {
			t.Fatal(err)
		}
	}
	// Two loads, each from a load generator in its own process so that it does not share
	// portald's scheduler and heap: flat out (every session asks again the moment it has its
	// answer: the throughput, and latency under saturation), and paced (every session loads
	// Home once a second, timed from when each request was due, so a slow answer that delays
	// the next request counts against the next one too).
	p99 := figures.Figure{Name: "portal_home_p99_ms", Unit: "ms"}
	p50 := figures.Figure{Name: "portal_home_p50_ms", Unit: "ms"}
	rps := figures.Figure{Name: "portal_home_rps", Unit: "req/s"}
	sat := figures.Figure{Name: "portal_home_saturated_p99_ms", Unit: "ms"}
	for range figures.Runs() {
		flat := loadFrom(t, load{URL: p.srv.URL, Cookies: cookies, Rounds: rounds})
		paced := loadFrom(t, load{URL: p.srv.URL, Cookies: cookies, Rounds: 10, Pace: time.Second})
		p99.Add(figures.Ms(figures.Percentile(paced.Latency, 0.99)))
		p50.Add(figures.Ms(figures.Percentile(paced.Latency, 0.50)))
		rps.Add(float64(len(flat.Latency)) / flat.Elapsed.Seconds())
		sat.Add(figures.Ms(figures.Percentile(flat.Latency, 0.99)))
	}
	p99.Print()
	p50.Print()
	rps.Print()
	sat.Print()
}

// loadChildEnv makes the test binary a load generator: it reads a load as JSON from the
// file the variable names, runs it, and writes the result as JSON to stdout.
const loadChildEnv = "PORTICO_BENCH_LOAD_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(loadChildEnv); spec != "" {
		os.Exit(runLoad(spec))
	}
	os.Exit(m.Run())
}

// load is what one load generator does: each cookie a session loading Home Rounds times,
// flat out when Pace is 0, else once every Pace, the sessions spread over it.
type load struct {
	URL     string
	Cookies []string
	Rounds  int
	Pace    time.Duration
}

type loadResult struct {
	Latency []time.Duration
	Elapsed time.Duration
	Error   string
}

// loadFrom runs l in a child process and returns what it measured.
func loadFrom(t *testing.T, l load) loadResult {
	t.Helper()
	spec, _ := json.Marshal(l)
	file := filepath.Join(t.TempDir(), "load.json")
	if err := os.WriteFile(file, spec, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), loadChildEnv+"="+file)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("load generator: %v\n%s", err, out)
	}
	var r loadResult
	if err := json.Unmarshal(out, &r); err != nil || r.Error != "" {
		t.Fatalf("load generator: %v %s", err, r.Error)
	}
	return r
}

func runLoad(specFile string) int {
	var l load
	b, err := os.ReadFile(specFile)
	if err == nil {
		err = json.Unmarshal(b, &l)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		return 2
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: len(l.Cookies), MaxIdleConnsPerHost: len(l.Cookies)}}
	var (
		mu    sync.Mutex
		res   loadResult
		wg    sync.WaitGroup
		start = time.Now()
	)
	for i, c := range l.Cookies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, l.Rounds)
			due := start.Add(time.Duration(i) * l.Pace / time.Duration(len(l.Cookies)))
			for range l.Rounds {
				time.Sleep(time.Until(due))
				sent := time.Now()
				_, err := homeOnce(hc, l.URL, c)
				if err != nil {
					mu.Lock()
					res.Error = err.Error()
					mu.Unlock()
					return
				}
				if l.Pace > 0 {
					mine = append(mine, time.Since(due))
					due = due.Add(l.Pace)
				} else {
					mine = append(mine, time.Since(sent))
				}
			}
			mu.Lock()
			res.Latency = append(res.Latency, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	json.NewEncoder(os.Stdout).Encode(res)
	return 0
}

// homeOnce loads Home with a session cookie and reads the whole page.
func homeOnce(hc *http.Client, base, cookie string) (time.Duration, error) {
	req, _ := http.NewRequest("GET", base+"/home", nil)
	req.Header.Set("Cookie", cookie)
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /home: %s", resp.Status)
	}
	return time.Since(start), nil
}
