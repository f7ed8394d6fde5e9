package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func openStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func putClients(t *testing.T, s *Store, cs ...Client) {
	t.Helper()
	err := s.WithTx(context.Background(), func(tx *Tx) error {
		for _, c := range cs {
			if err := tx.PutClient(context.Background(), c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func names(list []ClientSummary) []string {
	var out []string
	for _, c := range list {
		out = append(out, c.Name)
	}
	return out
}

// A page of a broad search (more matches than twice the page) walks the clients in name
// order; a narrow one sorts its matches. Both must give the first page of the same list.
func TestListClientsPagesAgreeAcrossPlans(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, filepath.Join(t.TempDir(), "d.db"))
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var cs []Client
	for i := range 40 {
		last := []string{"Smith", "Sanchez", "Jones", "Baker"}[i%4]
		cs = append(cs, Client{ID: fmt.Sprintf("c%02d", i), Name: fmt.Sprintf("%s %02d", last, 39-i), Archived: i%10 == 3,
			CreatedAt: now, UpdatedAt: now,
			People: []Person{{ID: fmt.Sprintf("p%02d", i), Role: "primary", Name: "Pat " + last, Email: fmt.Sprintf("pat%02d@%s.test", i, last), Phone: fmt.Sprintf("555-01%02d", i)}}})
	}
	putClients(t, s, cs...)
	tests := []struct {
		search   string
		archived bool
	}{
		{"s", false},
		{"s", true},
		{"sm", false},
		{"555", false},
		{"555-0107", false},
		{"pat", true},
		{"baker", false},
		{"nobody", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.search, tt.archived), func(t *testing.T) {
			all, err := s.ListClients(ctx, tt.search, tt.archived, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSortedFunc(all, func(a, b ClientSummary) int { return compareFold(a.Name, b.Name) }) {
				t.Fatalf("not in name order: %q", names(all))
			}
			for _, limit := range []int{1, 3, 5} {
				page, err := s.ListClients(ctx, tt.search, tt.archived, limit)
				if err != nil {
					t.Fatal(err)
				}
				want := all[:min(limit, len(all))]
				if !slices.Equal(names(page), names(want)) {
					t.Errorf("limit %d: %q, want %q", limit, names(page), names(want))
				}
				for i := range page {
					if page[i] != want[i] {
						t.Errorf("limit %d: row %d is %+v, want %+v", limit, i, page[i], want[i])
					}
				}
			}
		})
	}
}

func compareFold(a, b string) int {
	la, lb := []byte(a), []byte(b)
	for i := range la {
		if la[i] >= 'A' && la[i] <= 'Z' {
			la[i] += 'a' - 'A'
		}
	}
	for i := range lb {
		if lb[i] >= 'A' && lb[i] <= 'Z' {
			lb[i] += 'a' - 'A'
		}
	}
	return slices.Compare(la, lb)
}

// A client is found by the first search after its write, whether or not the indexer has
// run; what was left marked (a migration, a process killed before indexing) is indexed on
// the next Open without a search asking.
func TestSearchIndexFollowsWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	jurgen := Client{ID: "c1", Name: "Müller GmbH", CreatedAt: now, UpdatedAt: now,
		People: []Person{{ID: "p1", Role: "primary", Name: "Jürgen Müller", Email: "j@mueller.test", Phone: "+49 30 1234567"}}}
	putClients(t, s, jurgen)
	for _, q := range []string{"müller", "jurgen", "j@mueller", "4930123", "30 1234"} {
		if list, err := s.ListClients(ctx, q, false, 10); err != nil || len(list) != 1 {
			t.Errorf("right after the write, %q finds %q (%v), want Müller GmbH", q, names(list), err)
		}
	}
	jurgen.Name, jurgen.People[0].Email = "Mueller Holding", "office@mueller.test"
	putClients(t, s, jurgen)
	if list, _ := s.ListClients(ctx, "gmbh", false, 10); len(list) != 0 {
		t.Errorf("the old name still finds %q", names(list))
	}
	if list, _ := s.ListClients(ctx, "office@", false, 10); len(list) != 1 {
		t.Errorf("the new email finds %q", names(list))
	}

	// As a process killed between the write and the indexing leaves it.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM clients_fts; INSERT INTO clients_unindexed (rid) SELECT rid FROM clients`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openStore(t, path)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var marked int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients_unindexed`).Scan(&marked); err != nil {
			t.Fatal(err)
		}
		if marked == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d clients still unindexed 10 s after Open", marked)
		}
		time.Sleep(10 * time.Millisecond)
	}
	var rows int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM clients_fts WHERE clients_fts MATCH 'holding'`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("the index after Open has %d rows for holding (%v), want 1", rows, err)
	}
}
