package desktop_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"portico/backend/desktop"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/files"
	"portico/backend/desktop/invites"
	"portico/backend/desktop/store"
	"portico/backend/desktop/syncer"
	"portico/backend/testkit/figures"
)

// production puts back, for one benchmark, the settings a shipped desktop runs with: the
// integration tests shorten backoffs, the pull wait and the copy settle so that their
// failures come quickly, and a figure measured with them would not be the product's.
func production(t *testing.T) {
	t.Helper()
	tuned := [...]time.Duration{syncer.BackoffBase, syncer.BackoffMax, syncer.PullWait, files.CopySettle}
	syncer.BackoffBase, syncer.BackoffMax, syncer.PullWait, files.CopySettle =
		shipped.backoffBase, shipped.backoffMax, shipped.pullWait, shipped.copySettle
	t.Cleanup(func() {
		syncer.BackoffBase, syncer.BackoffMax, syncer.PullWait, files.CopySettle = tuned[0], tuned[1], tuned[2], tuned[3]
	})
}

// shipped holds the package defaults, read before TestMain tunes them.
var shipped = struct{ backoffBase, backoffMax, pullWait, copySettle time.Duration }{
	syncer.BackoffBase, syncer.BackoffMax, syncer.PullWait, files.CopySettle,
}

// until polls cond every millisecond: the probes it runs (a count, one row) cost far less
// than that, so the figure's resolution is the poll and not the probe.
func until(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	poll(t, limit, time.Millisecond, what, cond)
}

// foldersMade waits until each desktop has made the folders of all its clients: a burst's
// folders come after it, and the next figure must start on an idle machine. The probe reads
// every client, so it is not polled at until's pace.
func foldersMade(t *testing.T, desks ...*desktop.Desktop) {
	t.Helper()
	for _, d := range desks {
		waitFor(t, time.Minute, "the clients' folders", func() bool {
			missing, err := d.Store.ClientsWithoutFolder(context.Background())
			return err == nil && len(missing) == 0
		})
	}
}

func benchInput(i int) clients.Input {
	return clients.Input{Name: fmt.Sprintf("Client %05d", i), People: []clients.PersonInput{
		{Role: "primary", Name: fmt.Sprintf("Person %05d", i), Email: fmt.Sprintf("p%05d@bench.test", i), Phone: "555-0100"},
	}}
}

// TestBenchCreate10kLocal: 10,000 clients made one service call each, as staff make them, on
// a desktop that is not signed in: the local cost alone (the store, the op outbox).
func TestBenchCreate10kLocal(t *testing.T) {
	figures.Bench(t)
	ctx := context.Background()
	const n = 10_000
	fig := figures.Figure{Name: "create_10k_clients_local_s", Unit: "s"}
	for run := range figures.Runs() {
		d := openDesktop(t, fmt.Sprintf("create-%d", run), nil)
		start := time.Now()
		for i := range n {
			if _, err := d.Clients.Create(ctx, benchInput(i)); err != nil {
				t.Fatal(err)
			}
		}
		fig.Add(time.Since(start).Seconds())
		foldersMade(t, d)
	}
	fig.Print()
}

// TestBenchSync10k: 10,000 clients created on desktop A, signed in to portald on loopback
// (its own process), from the first creation until desktop B has pulled them all; and on
// the idle firm afterwards, one edit on A until B shows it, fifty times. Shipped settings.
func TestBenchSync10k(t *testing.T) {
	figures.Bench(t)
	production(t)
	ctx := context.Background()
	const n, edits = 10_000, 50
	total := figures.Figure{Name: "sync_10k_clients_s", Unit: "s"}
	created := figures.Figure{Name: "sync_10k_create_while_syncing_s", Unit: "s"}
	lag := figures.Figure{Name: "sync_lag_p95_ms", Unit: "ms"}
	for run := range figures.Runs() {
		data := t.TempDir()
		createFirm(t, data, "Bench CPA", "bench@cpa.test", "a-long-password")
		p := startPortald(t, data, "")
		a := openDesktop(t, fmt.Sprintf("bench-a%d", run), nil)
		b := openDesktop(t, fmt.Sprintf("bench-b%d", run), nil)
		for _, desk := range []*desktop.Desktop{a, b} {
			if _, err := desk.Session.SignIn(ctx, p.url(), "bench@cpa.test", "a-long-password"); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		var first store.Client
		for i := range n {
			c, err := a.Clients.Create(ctx, benchInput(i))
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = c
			}
		}
		created.Add(time.Since(start).Seconds())
		until(t, 5*time.Minute, "B to pull every client", func() bool {
			c, err := b.Store.CountClients(ctx)
			return err == nil && c == n
		})
		total.Add(time.Since(start).Seconds())
		until(t, time.Minute, "A to have pushed everything", func() bool { return syncState(t, a).Pending == 0 })
		foldersMade(t, a, b) // an idle firm

		took := make([]time.Duration, 0, edits)
		for i := range edits {
			in := benchInput(0)
			in.Name, in.People[0].ID = fmt.Sprintf("Client 00000 edit %d", i), first.People[0].ID
			start := time.Now()
			if _, err := a.Clients.Update(ctx, first.ID, in); err != nil {
				t.Fatal(err)
			}
			until(t, time.Minute, "B to show the edit", func() bool {
				c, err := b.Store.Client(ctx, first.ID)
				return err == nil && c.Name == in.Name
			})
			took = append(took, time.Since(start))
			time.Sleep(100 * time.Millisecond) // idle between edits: each is its own round trip
		}
		lag.Add(figures.Ms(figures.Percentile(took, 0.95)))
		p.stop()
	}
	total.Print()
	created.Print()
	lag.Print()
}

// TestBenchInviteBulk10k is a figure for make bench: 10,000 clients selected in Manage
// Client Portals (filter: without portal), Send Invite, until Mailpit has every mail.
func TestBenchInviteBulk10k(t *testing.T) {
	figures.Bench(t)
	production(t)
	ctx := context.Background()
	p, d := startMailedPortal(t, "Bench CPA", "bench@cpa.test", "bench")
	mp := p.mail
	const n = 10_000
	for i := range n {
		in := benchInput(i)
		in.People[0].Phone = ""
		if _, err := d.Clients.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 5*time.Minute, "the clients to reach the portal", func() bool { return syncState(t, d).Pending == 0 })

	start := time.Now()
	rows, err := d.Invites.Portals(ctx, invites.FilterWithout, "")
	if err != nil || len(rows) != n {
		t.Fatalf("Manage Client Portals shows %d clients (%v)", len(rows), err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ClientID
	}
	res, err := d.Invites.SendBulk(ctx, ids)
	if err != nil || res.Queued != n {
		t.Fatalf("SendBulk = %+v, %v", res, err)
	}
	queued := time.Since(start)
	deadline := time.Now().Add(10 * time.Minute)
	for {
		got, err := mp.Total()
		if err == nil && got >= n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Mailpit has %d of %d mails after 10 minutes (%v)", got, n, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	total := time.Since(start)
	if got, _ := mp.Total(); got != n {
		t.Fatalf("Mailpit has %d mails, want exactly %d", got, n)
	}
	fmt.Printf("BENCH invite_bulk_10k_s %.2f s\n", total.Seconds())
	fmt.Printf("BENCH invite_bulk_10k_queue_local_s %.2f s\n", queued.Seconds())
}
