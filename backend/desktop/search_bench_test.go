package desktop_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"portico/backend/desktop/clients"
	"portico/backend/testkit/figures"
)

var (
	benchFirst = []string{"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
		"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Ana", "Wei", "Olga", "Amir", "Yuki"}
	benchLast = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
		"Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
		"Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell"}
)

// TestBenchClientSearch100k: the client list searched as staff type into its box (every
// prefix of a last name, a first and last name, an email, a phone) on a desktop with
// 100,000 clients; the 99th percentile of one search, answers included.
func TestBenchClientSearch100k(t *testing.T) {
	figures.Bench(t)
	ctx := context.Background()
	const n = 100_000
	d := openDesktop(t, "search", nil)
	rng := rand.New(rand.NewPCG(5, 8))
	for i := range n {
		first, last := benchFirst[rng.IntN(len(benchFirst))], benchLast[rng.IntN(len(benchLast))]
		_, err := d.Clients.Create(ctx, clients.Input{Name: fmt.Sprintf("%s %s %d", first, last, i), People: []clients.PersonInput{
			{Role: "primary", Name: first + " " + last, Email: fmt.Sprintf("%s.%s%d@mail.test", first, last, i), Phone: fmt.Sprintf("555-%07d", i)}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Staff search a settled desktop: the burst's folders made, or given up on (past about
	// 64,000 clients Linux's default inotify limit stops the watcher, and the folders with it).
	last, same := -1, 0
	waitFor(t, 10*time.Minute, "the clients' folders", func() bool {
		missing, err := d.Store.ClientsWithoutFolder(ctx)
		if err != nil || len(missing) == 0 {
			return err == nil
		}
		if len(missing) == last {
			same++
		} else {
			last, same = len(missing), 0
		}
		return same >= 100 // 2 s without a folder made
	})
	var searches []string
	for range 100 {
		first, last := benchFirst[rng.IntN(len(benchFirst))], benchLast[rng.IntN(len(benchLast))]
		for l := 1; l <= len(last); l++ {
			searches = append(searches, last[:l])
		}
		i := rng.IntN(n)
		searches = append(searches, first+" "+last, fmt.Sprintf("%s.%s%d@", first, last, i), fmt.Sprintf("555-%07d", i))
	}
	p99 := figures.Figure{Name: "client_search_100k_p99_ms", Unit: "ms"}
	p50 := figures.Figure{Name: "client_search_100k_p50_ms", Unit: "ms"}
	for range figures.Runs() {
		took := make([]time.Duration, 0, len(searches))
		for _, q := range searches {
			start := time.Now()
			if _, err := d.Clients.List(ctx, q, false); err != nil {
				t.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		p99.Add(figures.Ms(figures.Percentile(took, 0.99)))
		p50.Add(figures.Ms(figures.Percentile(took, 0.50)))
	}
	p99.Print()
	p50.Print()
}
