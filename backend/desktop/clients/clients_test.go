package clients

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

func newService(t testing.TB) *Service {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &Service{Store: st, Now: func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }}
}

func TestCreateRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string // in the error message
	}{
		{"no name", Input{Name: "  "}, "client name is required"},
		{"bad email", Input{Name: "A", People: []PersonInput{{Role: "primary", Name: "Ann", Email: "ann@"}}}, `"ann@" is not a valid email address`},
		{"email with display name", Input{Name: "A", People: []PersonInput{{Name: "Ann", Email: "Ann <ann@x.test>"}}}, "not a valid email address"},
		{"email without dotted domain", Input{Name: "A", People: []PersonInput{{Name: "Ann", Email: "ann@localhost"}}}, "not a valid email address"},
		{"same email twice", Input{Name: "A", People: []PersonInput{
			{Role: "primary", Name: "Ann", Email: "ann@x.test"}, {Role: "spouse", Name: "Bob", Email: "ANN@x.test"}}},
			"ANN@x.test is given for both person 1 and person 2"},
		{"two spouses", Input{Name: "A", People: []PersonInput{{Role: "spouse", Name: "B"}, {Role: "spouse", Name: "C"}}}, "at most one spouse"},
		{"unknown role", Input{Name: "A", People: []PersonInput{{Role: "boss", Name: "B"}}}, `unknown role "boss"`},
		{"person without name", Input{Name: "A", People: []PersonInput{{Email: "x@y.test"}}}, "person 1: name is required"},
		{"bad phone", Input{Name: "A", People: []PersonInput{{Name: "B", Phone: "call me"}}}, "not a valid phone number"},
		{"short phone", Input{Name: "A", People: []PersonInput{{Name: "B", Phone: "123"}}}, "7 to 15 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			_, err := s.Create(context.Background(), tt.in)
			var ve *invalid.Error
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Create error = %v, want an invalid.Error containing %q", err, tt.want)
			}
			list, _ := s.List(context.Background(), "", true)
			pending, _, _ := s.Store.OpCounts(context.Background())
			if len(list) != 0 || pending != 0 {
				t.Fatalf("a refused input left %d clients and %d ops", len(list), pending)
			}
		})
	}
}

func TestCreateWritesRecordAndOpTogether(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c, err := s.Create(ctx, Input{Name: " Doe   Household ", People: []PersonInput{
		{Role: "primary", Name: "Jane Doe", Email: " jane@doe.test ", Phone: "(555) 010-0199"},
		{Role: "contact", Name: "", Email: "", Phone: ""}, // a blank row is dropped
	}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Doe Household" || len(c.People) != 1 || c.People[0].Email != "jane@doe.test" || c.People[0].ID == "" {
		t.Fatalf("created %+v", c)
	}
	ops, err := s.Store.PendingOps(ctx, 10)
	if err != nil || len(ops) != 1 || ops[0].Kind != api.KindClientPut || ops[0].EntityID != c.ID {
		t.Fatalf("ops after create: %+v, %v", ops, err)
	}
}

func TestDuplicateEmailAcrossClients(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	a, err := s.Create(ctx, Input{Name: "Doe", People: []PersonInput{{Role: "primary", Name: "Jane Doe", Email: "jane@doe.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Create(ctx, Input{Name: "Other", People: []PersonInput{{Name: "J", Email: "JANE@doe.test"}}})
	if err == nil || err.Error() != "JANE@doe.test is already used by Jane Doe (client Doe)" {
		t.Fatalf("duplicate email: %v", err)
	}
	// Editing the owner itself keeps its own email.
	if _, err := s.Update(ctx, a.ID, Input{Name: "Doe Family", People: []PersonInput{
		{ID: a.People[0].ID, Role: "primary", Name: "Jane Doe", Email: "jane@doe.test"}}}); err != nil {
		t.Fatalf("update keeping the same email: %v", err)
	}
}

func TestSearchByNameEmailPhone(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	for _, in := range []Input{
		{Name: "Müller GmbH", People: []PersonInput{{Role: "primary", Name: "Jürgen Müller", Email: "j.mueller@mueller.test", Phone: "+49 30 1234567"}}},
		{Name: "Smith Household", People: []PersonInput{{Role: "primary", Name: "Ann Smith", Email: "ann@smith.test", Phone: "555-0100"}}},
		{Name: "Smithers LLC"},
	} {
		if _, err := s.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		search string
		want   string
	}{
		{"", "Müller GmbH,Smith Household,Smithers LLC"},
		{"smith", "Smith Household,Smithers LLC"},
		{"muller", "Müller GmbH"}, // diacritics folded
		{"ann@smith", "Smith Household"},
		{"5550100", "Smith Household"},
		{"555-01", "Smith Household"},
		{"30 1234", "Müller GmbH"},
		{"4930123", "Müller GmbH"},
		{"jürgen", "Müller GmbH"},
		{`"; DROP TABLE clients; --`, ""},
		{"nobody", ""},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			list, err := s.List(ctx, tt.search, false)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, c := range list {
				names = append(names, c.Name)
			}
			if got := strings.Join(names, ","); got != tt.want {
				t.Fatalf("List(%q) = %q, want %q", tt.search, got, tt.want)
			}
		})
	}
}

func TestArchiveHidesAndRestores(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c, err := s.Create(ctx, Input{Name: "Gone Ltd"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetArchived(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(ctx, "", false); len(list) != 0 {
		t.Fatalf("archived client still listed: %+v", list)
	}
	if list, _ := s.List(ctx, "gone", true); len(list) != 1 || !list[0].Archived {
		t.Fatalf("archived client not found with includeArchived: %+v", list)
	}
	if _, err := s.SetArchived(ctx, "no-such-id", true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("archive of a missing client: %v", err)
	}
}

// BenchmarkCreate is one client made as staff make them: one service call, one transaction
// with its outbox op, no sync running.
func BenchmarkCreate(b *testing.B) {
	s := newService(b)
	ctx := context.Background()
	for i := range b.N {
		_, err := s.Create(ctx, Input{Name: fmt.Sprintf("Client %05d", i), People: []PersonInput{
			{Role: "primary", Name: fmt.Sprintf("Person %05d", i), Email: fmt.Sprintf("p%05d@bench.test", i), Phone: "555-0100"}}})
		if err != nil {
			b.Fatal(err)
		}
	}
}
