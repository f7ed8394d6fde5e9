package todos

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

func TestSaveValidatesAndQueues(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	c, err := (&clients.Service{Store: st, Now: clock}).Create(ctx, clients.Input{Name: "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{Store: st, Now: clock}
	bad := []struct {
		in   Input
		want string
	}{
		{Input{ClientID: c.ID, Title: "  "}, "give the to-do a title"},
		{Input{ClientID: c.ID, Title: strings.Repeat("x", 201)}, "too long"},
		{Input{ClientID: c.ID, Title: "W-2", Due: "2026-13-01"}, "is not a date"},
	}
	for _, tt := range bad {
		_, err := s.Save(ctx, tt.in)
		var inv *invalid.Error
		if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Save(%+v) = %v, want %q", tt.in, err, tt.want)
		}
	}
	if _, err := s.Save(ctx, Input{ClientID: "nobody", Title: "x"}); err == nil {
		t.Error("a to-do for an unknown client was saved")
	}
	td, err := s.Save(ctx, Input{ClientID: c.ID, Title: " Upload   your W-2 ", Due: "2027-01-31"})
	if err != nil || td.Title != "Upload your W-2" || td.State != api.TodoOpen {
		t.Fatalf("Save = %+v, %v", td, err)
	}
	td, err = s.Save(ctx, Input{ID: td.ID, ClientID: c.ID, Title: td.Title, Done: true})
	if err != nil || td.State != api.TodoDone || td.DoneBy != "staff" || td.DoneAt == nil {
		t.Fatalf("done by staff: %+v, %v", td, err)
	}
	ops, _ := st.PendingOpsOf(ctx, api.KindTodoPut, td.ID)
	if len(ops) != 2 {
		t.Fatalf("%d ops", len(ops))
	}
	var last api.Todo
	json.Unmarshal(ops[1].Data, &last)
	if last.State != api.TodoDone || last.ClientID != c.ID {
		t.Fatalf("op %+v", last)
	}
	// The client marks a to-do done on the portal: the feed brings it back.
	data, _ := json.Marshal(api.Todo{ClientID: c.ID, Title: "Sign", State: api.TodoDone, DoneBy: "ana@x.test", DoneAt: &now})
	if err := st.WithTx(ctx, func(tx *store.Tx) error {
		return s.Apply(ctx, tx, api.Change{Kind: api.KindTodoPut, EntityID: "t-portal", Data: data, At: now})
	}); err != nil {
		t.Fatal(err)
	}
	list, _ := s.List(ctx, c.ID)
	if len(list) != 2 || list[1].DoneBy != "ana@x.test" && list[0].DoneBy != "ana@x.test" {
		t.Fatalf("list %+v", list)
	}
	if err := s.Delete(ctx, td.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(ctx, c.ID); len(list) != 1 {
		t.Fatalf("after delete: %+v", list)
	}
}
