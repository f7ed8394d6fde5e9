package desktop_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"portico/backend/clients"
	"portico/backend/desktop"
)

// TestBenchSync10k is a figure for make bench, not a pass/fail timing: 10,000 clients
// created on desktop A, pushed to portald on loopback, until desktop B has pulled them all.
func TestBenchSync10k(t *testing.T) {
	if os.Getenv("PORTICO_BENCH") == "" {
		t.Skip("a benchmark: make bench runs it")
	}
	requireKeyring(t)
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
