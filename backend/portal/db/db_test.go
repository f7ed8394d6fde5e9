package db

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
)

// testDB is a migrated database in a temporary folder with one firm and its clock at a
// fixed time.
type testDB struct {
	*DB
	firm api.Firm
	now  time.Time
}

func open(t *testing.T) *testDB {
	t.Helper()
	ctx := context.Background()
	d, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	td := &testDB{DB: d, now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	d.Now = func() time.Time { return td.now }
	td.firm, _, err = d.CreateFirm(ctx, "Acme CPA", api.Staff{Email: "sam@acme.test", Name: "Sam"}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	return td
}

// notices are the facts of the mail of kind queued so far, oldest first.
func notices[T any](t *testing.T, td *testDB, kind string) []T {
	t.Helper()
	due, err := td.DueMail(context.Background(), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), 1000)
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

func op(t *testing.T, kind, entity string, v any) Op {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	o := Op{Op: api.Op{ID: ulid.Make().String(), Kind: kind, EntityID: entity, Data: data}}
	switch x := v.(type) {
	case api.Client:
		o.Client = &x
	case api.Invite:
		o.Invite = &x
	case api.Todo:
		o.Todo = &x
	case api.Packet:
		o.Packet = &x
	}
	return o
}

func (td *testDB) apply(t *testing.T, ops ...Op) []api.OpResult {
	t.Helper()
	res, err := td.ApplyOps(context.Background(), td.firm.ID, "device-1", ops)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestOpsApplyOnceAndRejectWhatCannotApply(t *testing.T) {
	td := open(t)
	client := op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"})
	orphan := op(t, api.KindTodoPut, "t1", api.Todo{ClientID: "nobody", Title: "Sign", State: api.TodoOpen})
	invalid := op(t, api.KindTodoPut, "t2", api.Todo{})
	invalid.Invalid = "a to-do needs a client"

	first := td.apply(t, client, orphan, invalid)
	tests := []struct {
		name   string
		got    api.OpResult
		status string
		errSub string
	}{
		{"the client applies", first[0], api.OpApplied, ""},
		{"a to-do of a client the portal lacks", first[1], api.OpRejected, "has no client nobody"},
		{"an op the server found invalid", first[2], api.OpRejected, "needs a client"},
	}
	for _, tt := range tests {
		if tt.got.Status != tt.status || !strings.Contains(tt.got.Error, tt.errSub) {
			t.Errorf("%s: %+v, want %s %q", tt.name, tt.got, tt.status, tt.errSub)
		}
	}

	again := td.apply(t, client, orphan)
	if again[0].Status != api.OpDuplicate || again[0].Seq != first[0].Seq {
		t.Errorf("the client op again = %+v, want a duplicate of seq %d", again[0], first[0].Seq)
	}
	if again[1].Status != api.OpRejected || again[1].Error != first[1].Error {
		t.Errorf("the rejected op again = %+v, want its first answer", again[1])
	}
	changes, _, err := td.Changes(context.Background(), td.firm.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := td.CountChangesForOp(context.Background(), td.firm.ID, client.ID); n != 1 {
		t.Errorf("the client op made %d changes, want 1 (feed: %d)", n, len(changes))
	}
}

func TestAnInvitationAndItsMailExistTogether(t *testing.T) {
	td := open(t)
	ctx := context.Background()
	td.apply(t, op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}))
	res := td.apply(t, op(t, api.KindPortalInvite, "c1", api.Invite{People: []api.Invitee{{Name: "Ada", Email: "ada@example.com"}}}))
	if res[0].Status != api.OpApplied {
		t.Fatalf("invite = %+v", res[0])
	}
	due, err := td.DueMail(ctx, td.now, 10)
	if err != nil || len(due) != 1 || due[0].Message.ToAddr != "ada@example.com" || due[0].Kind != NoticeInvite {
		t.Fatalf("mail queued = %+v, %v; want one invitation notice to ada", due, err)
	}
	invites := notices[InviteMail](t, td, NoticeInvite)
	if len(invites) != 1 || invites[0].Token == "" || invites[0].ClientName != "Okafor household" {
		t.Fatalf("notices %+v", invites)
	}

	inv, err := td.InvitationByToken(ctx, auth.HashToken(invites[0].Token))
	if err != nil {
		t.Fatal(err)
	}
	if err := td.MailSent(ctx, due[0].ID, td.now); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := td.sql.QueryRowContext(ctx, `SELECT data FROM mail_queue WHERE id = ?`, due[0].ID).Scan(&data); err != nil || data != "" {
		t.Fatalf("a sent notice keeps %q (%v): the link should be only the recipient's", data, err)
	}
	accept := Acceptance{TermsVersion: "2026-11", IP: "192.0.2.1", UserAgent: "test"}
	if err := td.AcceptInvitation(ctx, inv.ID, "pw-hash", accept); err != nil {
		t.Fatal(err)
	}
	if err := td.AcceptInvitation(ctx, inv.ID, "pw-hash", accept); !errors.Is(err, ErrLinkUsed) {
		t.Fatalf("second use = %v, want ErrLinkUsed", err)
	}
	if users, _ := td.ActiveUsersByEmail(ctx, "ada@example.com"); len(users) != 1 {
		t.Fatalf("ada has %d active users, want 1", len(users))
	}
}

func TestAnInvitationLinkExpires(t *testing.T) {
	td := open(t)
	ctx := context.Background()
	td.apply(t, op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}),
		op(t, api.KindPortalInvite, "c1", api.Invite{People: []api.Invitee{{Name: "Ada", Email: "ada@example.com"}}}))
	inv, err := td.InvitationByToken(ctx, auth.HashToken(notices[InviteMail](t, td, NoticeInvite)[0].Token))
	if err != nil {
		t.Fatal(err)
	}
	td.now = td.now.Add(td.InviteTTL)
	if err := td.AcceptInvitation(ctx, inv.ID, "pw-hash", Acceptance{}); !errors.Is(err, ErrLinkExpired) {
		t.Fatalf("accept at expiry = %v, want ErrLinkExpired", err)
	}
}

// Signers of an ordered packet are mailed in turn; a packet past its due day expires.
func TestAnOrderedPacketGoesSignerBySignerAndExpires(t *testing.T) {
	td := open(t)
	ctx := context.Background()
	sha := strings.Repeat("ab", 32)
	if err := td.AddBlob(ctx, td.firm.ID, sha, 1000); err != nil {
		t.Fatal(err)
	}
	ada := api.Recipient{ID: "r1", Name: "Ada", Email: "ada@example.com"}
	ben := api.Recipient{ID: "r2", Name: "Ben", Email: "ben@example.com"}
	box := api.Box{W: .2, H: .05}
	p := api.Packet{ClientID: "c1", Title: "Form 8879", SHA256: sha, Size: 1000, Pages: 1, Ordered: true,
		Due: "2026-12-10", Recipients: []api.Recipient{ada, ben},
		Fields: []api.Field{{ID: "f1", Type: api.FieldSignature, RecipientID: "r1", Box: box},
			{ID: "f2", Type: api.FieldSignature, RecipientID: "r2", Box: box}}}
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	res := td.apply(t, op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}),
		op(t, api.KindPacketPut, ulid.Make().String(), p))
	if res[1].Status != api.OpApplied {
		t.Fatalf("packet = %+v", res[1])
	}
	signs := notices[SignMail](t, td, NoticeSign)
	if len(signs) != 1 || signs[0].Signer.ID != "r1" {
		t.Fatalf("mailed %+v, want Ada only", signs)
	}
	first, err := td.SigningByToken(ctx, auth.HashToken(signs[0].Token))
	if err != nil {
		t.Fatal(err)
	}
	done, err := td.Sign(ctx, first, "Ada", map[string]SignValue{"f1": {Text: "Ada"}}, Event{IP: "192.0.2.1"})
	if err != nil || done {
		t.Fatalf("Ada signs = %v, %v; want not done yet", done, err)
	}
	if signs = notices[SignMail](t, td, NoticeSign); len(signs) != 2 || signs[1].Signer.ID != "r2" {
		t.Fatalf("after Ada mailed %+v, want Ben next", signs)
	}

	td.now = time.Date(2026, 12, 12, 0, 0, 0, 0, time.UTC) // past the due day and its grace
	if _, expired, err := td.RemindAndExpire(ctx); err != nil || expired != 1 {
		t.Fatalf("RemindAndExpire = %d expired, %v; want 1", expired, err)
	}
	second, err := td.SigningByToken(ctx, auth.HashToken(signs[1].Token))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := td.Sign(ctx, second, "Ben", map[string]SignValue{"f2": {Text: "Ben"}}, Event{}); !errors.Is(err, ErrPacketEnded) {
		t.Fatalf("Ben signs an expired packet = %v, want ErrPacketEnded", err)
	}
}
