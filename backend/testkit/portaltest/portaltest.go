// Package portaltest opens a portal database for tests of portald's storage and services:
// migrated, in a temporary folder, with one firm and a clock the test moves.
package portaltest

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/db"
)

// Portal is a test's portal database.
type Portal struct {
	*db.DB
	Firm api.Firm
	Now  time.Time // the database's clock
}

// Open opens a new portal database whose clock starts at 1 December 2026, 09:00 UTC.
func Open(t *testing.T) *Portal {
	t.Helper()
	ctx := context.Background()
	d, err := db.OpenSQLite(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	p := &Portal{DB: d, Now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return p.Now }
	p.Firm, _, err = d.CreateFirm(ctx, "Acme CPA", api.Staff{Email: "sam@acme.test", Name: "Sam"}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Op is an op of kind about entity carrying v, as the server hands it to db.ApplyOps.
func Op(t *testing.T, kind, entity string, v any) db.Op {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	o := db.Op{Op: api.Op{ID: ulid.Make().String(), Kind: kind, EntityID: entity, Data: data}}
	switch x := v.(type) {
	case api.Client:
		o.Client = &x
	case api.Invite:
		o.Invite = &x
	case api.Revoke:
		o.Revoke = &x
	case api.Todo:
		o.Todo = &x
	case api.Packet:
		o.Packet = &x
	case api.PacketVoid:
		o.PacketVoid = &x
	default:
		t.Fatalf("portaltest.Op: no field for %T", v)
	}
	return o
}

// Apply applies ops from one device of the firm, with rules for the kinds they decide.
func (p *Portal) Apply(t *testing.T, rules db.Appliers, ops ...db.Op) []api.OpResult {
	t.Helper()
	res, err := p.ApplyOps(context.Background(), p.Firm.ID, "device-1", ops, rules)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Notices are the facts of the unsent mail of kind, oldest first.
func Notices[T any](t *testing.T, p *Portal, kind string) []T {
	t.Helper()
	due, err := p.DueMail(context.Background(), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	for _, m := range due {
		if m.Kind != kind {
			continue
		}
		var v T
		if err := json.Unmarshal(m.Data, &v); err != nil {
			t.Fatalf("notice %d: %v", m.ID, err)
		}
		out = append(out, v)
	}
	return out
}
