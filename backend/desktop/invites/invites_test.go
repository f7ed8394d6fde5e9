package invites

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

type fixture struct {
	st      *store.Store
	clients *clients.Service
	inv     *Service
	now     time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.clients = &clients.Service{Store: st, Now: clock}
	f.inv = &Service{Store: st, Now: clock}
	return f
}

func (f *fixture) client(t *testing.T, name string, people ...clients.PersonInput) store.Client {
	t.Helper()
	c, err := f.clients.Create(context.Background(), clients.Input{Name: name, People: people})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) pendingInvites(t *testing.T, clientID string) []api.Invite {
	t.Helper()
	ops, err := f.st.PendingOpsOf(context.Background(), api.KindPortalInvite, clientID)
	if err != nil {
		t.Fatal(err)
	}
	var out []api.Invite
	for _, op := range ops {
		var inv api.Invite
		json.Unmarshal(op.Data, &inv)
		out = append(out, inv)
	}
	return out
}

func TestSendRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	c := f.client(t, "Ana Pérez", clients.PersonInput{Role: api.RolePrimary, Name: "Ana Pérez", Email: "ana@example.com"})
	ana := Person{PersonID: c.People[0].ID, Name: "Ana Pérez", Email: "ana@example.com"}
	tests := []struct {
		name string
		inv  Invitation
		want string
	}{
		{"nobody", Invitation{}, "at least one person"},
		{"no email", Invitation{People: []Person{{Name: "Luis"}}}, "Luis has no email address"},
		{"bad email", Invitation{People: []Person{{Name: "Luis", Email: "luis@"}}}, "not a valid email"},
		{"no name", Invitation{People: []Person{{Email: "x@example.com"}}}, "enter a name for x@example.com"},
		{"twice", Invitation{People: []Person{ana, {Name: "A", Email: "ANA@example.com"}}}, "twice"},
		{"bad placeholder", Invitation{People: []Person{ana}, Subject: "Hi", Message: "Hi {first}"}, "unknown placeholder {first}"},
		{"missing template", Invitation{People: []Person{ana}, TemplateID: "nope"}, "no longer exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.inv.Send(context.Background(), c.ID, tt.inv)
			var inv *invalid.Error
			if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Send = %v, want invalid.Error %q", err, tt.want)
			}
		})
	}
	if got := f.pendingInvites(t, c.ID); len(got) != 0 {
		t.Fatalf("a refused invitation was queued: %+v", got)
	}
}

func TestSendQueuesAndShowsQueuedThenPortalState(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.client(t, "Ana & Luis Pérez",
		clients.PersonInput{Role: api.RolePrimary, Name: "Ana Pérez", Email: "ana@example.com"},
		clients.PersonInput{Role: api.RoleSpouse, Name: "Luis Pérez", Email: "luis@example.com"})
	err := f.inv.Send(ctx, c.ID, Invitation{People: []Person{
		{PersonID: c.People[0].ID, Name: "Ana Pérez", Email: "ana@example.com"},
		{PersonID: c.People[1].ID, Name: "Luis Pérez", Email: "luis@example.com"},
		{Name: "Bea Bookkeeper", Email: "bea@books.example"}, // not a client
	}})
	if err != nil {
		t.Fatal(err)
	}
	sent := f.pendingInvites(t, c.ID)
	if len(sent) != 1 || len(sent[0].People) != 3 || !strings.Contains(sent[0].Message, "{link}") {
		t.Fatalf("queued %+v", sent)
	}
	people, err := f.inv.ForClient(ctx, c.ID)
	if err != nil || len(people) != 3 {
		t.Fatalf("ForClient = %+v, %v", people, err)
	}
	for _, p := range people {
		if p.Display != StateQueued || p.QueuedAt == nil {
			t.Fatalf("before sync: %+v", p)
		}
	}

	// The portal reports Ana invited (and the op acknowledged), then active.
	if err := f.st.WithTx(ctx, func(tx *store.Tx) error { return tx.AckOp(ctx, mustPending(t, f, c.ID)) }); err != nil {
		t.Fatal(err)
	}
	apply := func(u api.PortalUser) {
		t.Helper()
		data, _ := json.Marshal(u)
		err := f.st.WithTx(ctx, func(tx *store.Tx) error {
			return f.inv.Apply(ctx, tx, api.Change{Kind: api.KindPortalUser, EntityID: "u-ana", Data: data, At: f.now})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sentAt := f.now
	apply(api.PortalUser{Email: "ana@example.com", Name: "Ana Pérez", State: api.PortalInvited, ClientIDs: []string{c.ID},
		Invitations: []api.InvitationSent{{SentAt: sentAt, ExpiresAt: sentAt.Add(14 * 24 * time.Hour), State: api.InvitationPending}}})
	status := func() string {
		got, err := f.clients.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.PortalStatus
	}
	if s := status(); s != api.PortalInvited {
		t.Fatalf("client portal status %q", s)
	}
	// The mail server refused it for good: staff see so, and why.
	apply(api.PortalUser{Email: "ana@example.com", Name: "Ana Pérez", State: api.PortalInvited, ClientIDs: []string{c.ID},
		Invitations: []api.InvitationSent{{SentAt: sentAt, ExpiresAt: sentAt.Add(14 * 24 * time.Hour),
			State: api.InvitationUndelivered, Error: "550 5.1.1 no such user"}}})
	people, _ = f.inv.ForClient(ctx, c.ID)
	if people[0].Display != StateUndelivered || people[0].Invitations[0].Error != "550 5.1.1 no such user" {
		t.Fatalf("an undelivered invitation: %+v", people[0])
	}
	apply(api.PortalUser{Email: "ana@example.com", Name: "Ana Pérez", State: api.PortalInvited, ClientIDs: []string{c.ID},
		Invitations: []api.InvitationSent{{SentAt: sentAt, ExpiresAt: sentAt.Add(14 * 24 * time.Hour), State: api.InvitationPending}}})
	f.now = f.now.Add(15 * 24 * time.Hour)
	people, _ = f.inv.ForClient(ctx, c.ID)
	if people[0].Email != "ana@example.com" || people[0].Display != StateExpired {
		t.Fatalf("after 15 days: %+v", people[0])
	}
	apply(api.PortalUser{Email: "ana@example.com", Name: "Ana Pérez", State: api.PortalActive, ClientIDs: []string{c.ID}})
	if s := status(); s != api.PortalActive {
		t.Fatalf("client portal status %q", s)
	}
	if err := f.inv.RemoveAccess(ctx, c.ID, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	people, _ = f.inv.ForClient(ctx, c.ID)
	if !people[0].RemovalQueued {
		t.Fatalf("removal not shown as queued: %+v", people[0])
	}
	apply(api.PortalUser{Email: "ana@example.com", Name: "Ana Pérez", State: api.PortalRemoved, ClientIDs: []string{c.ID}})
	if s := status(); s != "removed" {
		t.Fatalf("client portal status %q", s)
	}
}

func mustPending(t *testing.T, f *fixture, clientID string) string {
	t.Helper()
	ops, err := f.st.PendingOpsOf(context.Background(), api.KindPortalInvite, clientID)
	if err != nil || len(ops) != 1 {
		t.Fatalf("pending %v %v", ops, err)
	}
	return ops[0].ID
}

func TestBulkInviteUsesTheDefaultTemplateAndSkipsClientsWithoutEmail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.client(t, "Alpha", clients.PersonInput{Role: api.RolePrimary, Name: "Al", Email: "al@example.com"})
	b := f.client(t, "Beta", clients.PersonInput{Role: api.RolePrimary, Name: "Bo", Phone: "555-0100"})
	if _, err := f.inv.SaveTemplate(ctx, store.InviteTemplate{Name: "Season", Subject: "Tax season at {firm}",
		Body: "Hi {name}, {link}", IsDefault: true}); err != nil {
		t.Fatal(err)
	}
	res, err := f.inv.SendBulk(ctx, []string{a.ID, b.ID})
	if err != nil || res.Queued != 1 || len(res.Skipped) != 1 || res.Skipped[0] != "Beta" {
		t.Fatalf("SendBulk = %+v, %v", res, err)
	}
	got := f.pendingInvites(t, a.ID)
	if len(got) != 1 || got[0].Subject != "Tax season at {firm}" || got[0].People[0].Email != "al@example.com" {
		t.Fatalf("queued %+v", got)
	}
	rows, err := f.inv.Portals(ctx, FilterWithout, "")
	if err != nil || len(rows) != 2 {
		t.Fatalf("without portal: %+v %v", rows, err)
	}
	if _, err := f.inv.SendBulk(ctx, nil); err == nil {
		t.Fatal("an empty selection was accepted")
	}
	if _, err := f.inv.SendBulk(ctx, []string{a.ID, "no-such-client"}); err == nil {
		t.Fatal("an unknown client was accepted")
	}
	if got := f.pendingInvites(t, a.ID); len(got) != 1 {
		t.Fatalf("a failed bulk send queued %d more", len(got)-1)
	}
}

func TestTemplates(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	list, err := f.inv.Templates(ctx)
	if err != nil || len(list) != 1 || !list[0].IsDefault || !strings.Contains(list[0].Body, "{link}") {
		t.Fatalf("first use: %+v %v", list, err)
	}
	bad := []struct {
		tpl  store.InviteTemplate
		want string
	}{
		{store.InviteTemplate{Subject: "s", Body: "b"}, "name"},
		{store.InviteTemplate{Name: "x", Subject: "", Body: "b"}, "subject is empty"},
		{store.InviteTemplate{Name: "x", Subject: "s", Body: "{oops}"}, "unknown placeholder"},
	}
	for _, tt := range bad {
		if _, err := f.inv.SaveTemplate(ctx, tt.tpl); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("SaveTemplate(%+v) = %v, want %q", tt.tpl, err, tt.want)
		}
	}
	if err := f.inv.DeleteTemplate(ctx, list[0].ID); err == nil {
		t.Fatal("the default template was deleted")
	}
	other, err := f.inv.SaveTemplate(ctx, store.InviteTemplate{Name: "Short", Subject: "Portal", Body: "{link}", IsDefault: true})
	if err != nil {
		t.Fatal(err)
	}
	list, _ = f.inv.Templates(ctx)
	if len(list) != 2 || list[0].ID != other.ID || list[1].IsDefault {
		t.Fatalf("after a new default: %+v", list)
	}
	if err := f.inv.DeleteTemplate(ctx, list[1].ID); err != nil {
		t.Fatal(err)
	}
}
