package invites_test

import (
	"context"
	"errors"
	"testing"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/portal/invites"
	"portico/backend/testkit/portaltest"
)

func rules(i invites.Invitations) db.Appliers {
	return db.Appliers{api.KindPortalInvite: i.Invite, api.KindPortalRevoke: i.Revoke}
}

func invite(t *testing.T, p *portaltest.Portal, i invites.Invitations, client string) invites.InviteMail {
	t.Helper()
	res := p.Apply(t, rules(i), portaltest.Op(t, api.KindPortalInvite, client,
		api.Invite{People: []api.Invitee{{Name: "Ada", Email: "ada@example.com"}}}))
	if res[0].Status != api.OpApplied {
		t.Fatalf("invite = %+v", res[0])
	}
	mail := portaltest.Notices[invites.InviteMail](t, p, db.NoticeInvite)
	return mail[len(mail)-1]
}

func TestStartFor(t *testing.T) {
	tests := []struct {
		state string
		found bool
		want  invites.Start
		link  bool
	}{
		{"", false, invites.NewAccount, true},
		{api.PortalRemoved, true, invites.StartOver, true},
		{api.PortalInvited, true, invites.LinkAgain, true},
		{api.PortalActive, true, invites.SignIn, false},
	}
	for _, tt := range tests {
		got := invites.StartFor(tt.state, tt.found)
		if got != tt.want || got.Link() != tt.link {
			t.Errorf("StartFor(%q, %v) = %v (link %v), want %v (link %v)", tt.state, tt.found, got, got.Link(), tt.want, tt.link)
		}
	}
}

func TestAnInvitationIsMailedAndUsedOnce(t *testing.T) {
	p := portaltest.Open(t)
	i := invites.Invitations{DB: p.DB}
	ctx := context.Background()
	p.Apply(t, nil, portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}))
	m := invite(t, p, i, "c1")
	if m.Token == "" || m.ClientName != "Okafor household" || m.FirmName != "Acme CPA" {
		t.Fatalf("notice %+v", m)
	}
	inv, err := p.InvitationByToken(ctx, auth.HashToken(m.Token))
	if err != nil {
		t.Fatal(err)
	}
	accept := db.Acceptance{TermsVersion: "2026-11", IP: "192.0.2.1", UserAgent: "test"}
	if err := i.Accept(ctx, inv.ID, "pw-hash", accept); err != nil {
		t.Fatal(err)
	}
	if err := i.Accept(ctx, inv.ID, "pw-hash", accept); !errors.Is(err, db.ErrLinkUsed) {
		t.Fatalf("second use = %v, want ErrLinkUsed", err)
	}
	if users, _ := p.ActiveUsersByEmail(ctx, "ada@example.com"); len(users) != 1 {
		t.Fatalf("ada has %d active users, want 1", len(users))
	}
	if again := invite(t, p, i, "c1"); again.Token != "" {
		t.Errorf("an active person invited again got a link %q; they sign in", again.Token)
	}
}

func TestAResendReplacesTheLinkAndTheLinkExpires(t *testing.T) {
	p := portaltest.Open(t)
	i := invites.Invitations{DB: p.DB}
	ctx := context.Background()
	p.Apply(t, nil, portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}))
	first, second := invite(t, p, i, "c1"), invite(t, p, i, "c1")
	old, err := p.InvitationByToken(ctx, auth.HashToken(first.Token))
	if err != nil {
		t.Fatal(err)
	}
	if err := i.Accept(ctx, old.ID, "pw-hash", db.Acceptance{}); !errors.Is(err, db.ErrLinkRevoked) {
		t.Fatalf("the replaced link = %v, want ErrLinkRevoked", err)
	}
	cur, err := p.InvitationByToken(ctx, auth.HashToken(second.Token))
	if err != nil {
		t.Fatal(err)
	}
	p.Now = p.Now.Add(invites.DefaultTTL)
	if err := i.Accept(ctx, cur.ID, "pw-hash", db.Acceptance{}); !errors.Is(err, db.ErrLinkExpired) {
		t.Fatalf("accept at expiry = %v, want ErrLinkExpired", err)
	}
}

// Removing a person's last client removes them; invited again, they start over.
func TestRevokingTheLastClientRemovesThePerson(t *testing.T) {
	p := portaltest.Open(t)
	i := invites.Invitations{DB: p.DB}
	ctx := context.Background()
	p.Apply(t, nil, portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}),
		portaltest.Op(t, api.KindClientPut, "c2", api.Client{Name: "Okafor LLC"}))
	m := invite(t, p, i, "c1")
	inv, _ := p.InvitationByToken(ctx, auth.HashToken(m.Token))
	if err := i.Accept(ctx, inv.ID, "pw-hash", db.Acceptance{}); err != nil {
		t.Fatal(err)
	}
	invite(t, p, i, "c2")
	revoke := func(client string) api.OpResult {
		return p.Apply(t, rules(i), portaltest.Op(t, api.KindPortalRevoke, client, api.Revoke{Email: "ada@example.com"}))[0]
	}
	if r := revoke("c1"); r.Status != api.OpApplied {
		t.Fatalf("revoke c1 = %+v", r)
	}
	if users, _ := p.ActiveUsersByEmail(ctx, "ada@example.com"); len(users) != 1 {
		t.Fatalf("after one of two clients: %+v, want still active for c2", users)
	}
	if r := revoke("c2"); r.Status != api.OpApplied {
		t.Fatalf("revoke c2 = %+v", r)
	}
	if users, _ := p.ActiveUsersByEmail(ctx, "ada@example.com"); len(users) != 0 {
		t.Fatalf("after the last client: %d active users, want 0", len(users))
	}
	stranger := p.Apply(t, rules(i), portaltest.Op(t, api.KindPortalRevoke, "c1", api.Revoke{Email: "eve@example.com"}))[0]
	if stranger.Status != api.OpRejected {
		t.Errorf("revoking someone never invited = %+v, want rejected", stranger)
	}
	if again := invite(t, p, i, "c1"); again.Token == "" {
		t.Error("a removed person invited again got no link: they must start over")
	}
}
