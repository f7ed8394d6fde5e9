package helplinks

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

func TestSave(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := &Service{Store: st, Now: time.Now}
	bad := []struct {
		link api.HelpLink
		want string
	}{
		{api.HelpLink{Label: "", URL: "https://x.test"}, "needs a label"},
		{api.HelpLink{Label: "Site", URL: "javascript:alert(1)"}, "not a web address"},
		{api.HelpLink{Label: "Site", URL: "x.test"}, "not a web address"},
	}
	for _, tt := range bad {
		_, err := s.Save(ctx, api.Help{Links: []api.HelpLink{tt.link}})
		var inv *invalid.Error
		if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Save(%+v) = %v, want %q", tt.link, err, tt.want)
		}
	}
	h, err := s.Save(ctx, api.Help{Links: []api.HelpLink{{Label: " Our website ", URL: "https://firm.test/"}, {}}})
	if err != nil || len(h.Links) != 1 || h.Links[0].Label != "Our website" {
		t.Fatalf("Save = %+v, %v", h, err)
	}
	if got, _ := s.Get(ctx); len(got.Links) != 1 {
		t.Fatalf("Get = %+v", got)
	}
	if ops, _ := st.PendingOpsOf(ctx, api.KindHelpPut, api.HelpID); len(ops) != 1 {
		t.Fatalf("%d ops", len(ops))
	}
}
