package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
)

// TestBenchPortalHome is a figure for make bench: 200 signed-in clients, each with 50
// to-dos, 50 files and 20 invoices, loading Home at once on SQLite, through HTTP on loopback.
func TestBenchPortalHome(t *testing.T) {
	if os.Getenv("PORTICO_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it")
	}
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
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: users, MaxIdleConnsPerHost: users}}
	get := func(cookie string) (time.Duration, error) {
		req, _ := http.NewRequest("GET", p.srv.URL+"/home", nil)
		req.Header.Set("Cookie", cookie)
		start := time.Now()
		resp, err := hc.Do(req)
		if err != nil {
			return 0, err
		}
		buf := make([]byte, 32<<10)
		for {
			if _, err := resp.Body.Read(buf); err != nil {
				break
			}
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET /home: %s", resp.Status)
		}
		return time.Since(start), nil
	}
	for _, c := range cookies { // warm up: connections, statement cache
		if _, err := get(c); err != nil {
			t.Fatal(err)
		}
	}
	// Two loads: flat out (every session asks again the moment it has its answer: the
	// throughput, and latency under saturation), and paced (every session loads Home once a
	// second, clients reading what they got: latency at 200 sessions' worth of traffic).
	run := func(pace time.Duration, rounds int) ([]time.Duration, time.Duration) {
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		start := time.Now()
		for i, c := range cookies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if pace > 0 { // spread the sessions over the second
					time.Sleep(time.Duration(i) * pace / time.Duration(len(cookies)))
				}
				mine := make([]time.Duration, 0, rounds)
				next := time.Now()
				for range rounds {
					d, err := get(c)
					if err != nil {
						t.Error(err)
						return
					}
					mine = append(mine, d)
					if pace > 0 {
						next = next.Add(pace)
						time.Sleep(time.Until(next))
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		slices.Sort(lat)
		return lat, time.Since(start)
	}
	pct := func(lat []time.Duration, q float64) float64 {
		return float64(lat[int(q*float64(len(lat)-1))]) / float64(time.Millisecond)
	}
	flat, elapsed := run(0, rounds)
	paced, _ := run(time.Second, 10)
	fmt.Printf("BENCH portal_home_p99_ms %.1f ms\n", pct(paced, 0.99))
	fmt.Printf("BENCH portal_home_p50_ms %.1f ms\n", pct(paced, 0.50))
	fmt.Printf("BENCH portal_home_rps %.0f req/s\n", float64(len(flat))/elapsed.Seconds())
	fmt.Printf("BENCH portal_home_saturated_p99_ms %.1f ms\n", pct(flat, 0.99))
}
