package desktop_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"portico/backend/desktop"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/invites"
)

// TestBenchSync10k is a figure for make bench, not a pass/fail timing: 10,000 clients
// created on desktop A, pushed to portald on loopback, until desktop B has pulled them all.
func TestBenchSync10k(t *testing.T) {
	if os.Getenv("PORTICO_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it")
	}
	ctx := context.Background()
	data := t.TempDir()
	createFirm(t, data, "Bench CPA", "bench@cpa.test", "a-long-password")
	p := startPortald(t, data, "")
	a := openDesktop(t, "bench-a", nil)
	b := openDesktop(t, "bench-b", nil)
	for _, desk := range []*desktop.Desktop{a, b} {
		if _, err := desk.Session.SignIn(ctx, p.url(), "bench@cpa.test", "a-long-password"); err != nil {
			t.Fatal(err)
		}
	}
	const n = 10_000
	start := time.Now()
	for i := 0; i < n; i++ {
		_, err := a.Clients.Create(ctx, clients.Input{Name: fmt.Sprintf("Client %05d", i), People: []clients.PersonInput{
			{Role: "primary", Name: fmt.Sprintf("Person %05d", i), Email: fmt.Sprintf("p%05d@bench.test", i), Phone: "555-0100"},
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	created := time.Since(start)
	waitFor(t, 5*time.Minute, "B to pull every client", func() bool {
		c, err := b.Store.CountClients(ctx)
		return err == nil && c == n
	})
	total := time.Since(start)
	fmt.Printf("BENCH sync_10k_clients_s %.2f s\n", total.Seconds())
	fmt.Printf("BENCH create_10k_clients_local_s %.2f s\n", created.Seconds())
}

// TestBenchInviteBulk10k is a figure for make bench: 10,000 clients selected in Manage
// Client Portals (filter: without portal), Send Invite, until Mailpit has every mail.
func TestBenchInviteBulk10k(t *testing.T) {
	if os.Getenv("PORTICO_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it")
	}
	ctx := context.Background()
	p, d := startMailedPortal(t, "Bench CPA", "bench@cpa.test", "bench")
	mp := p.mail
	const n = 10_000
	for i := 0; i < n; i++ {
		_, err := d.Clients.Create(ctx, clients.Input{Name: fmt.Sprintf("Client %05d", i), People: []clients.PersonInput{
			{Role: "primary", Name: fmt.Sprintf("Person %05d", i), Email: fmt.Sprintf("p%05d@bench.test", i)},
		}})
		if err != nil {
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
