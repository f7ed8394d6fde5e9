package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/testkit/portaltest"
)

func TestOpsApplyOnceAndRejectWhatCannotApply(t *testing.T) {
	p := portaltest.Open(t)
	client := portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"})
	orphan := portaltest.Op(t, api.KindTodoPut, "t1", api.Todo{ClientID: "nobody", Title: "Sign", State: api.TodoOpen})
	invalid := portaltest.Op(t, api.KindTodoPut, "t2", api.Todo{})
	invalid.Invalid = "a to-do needs a client"
	refused := portaltest.Op(t, api.KindPacketVoid, "p1", api.PacketVoid{Reason: "x"})
	var calls int
	rules := db.Appliers{api.KindPacketVoid: func(ctx context.Context, tx *db.Tx, firmID string, op db.Op) (int64, error) {
		calls++
		return 0, db.Rejected("the rule says no")
	}}

	first := p.Apply(t, rules, client, orphan, invalid, refused)
	tests := []struct {
		name   string
		got    api.OpResult
		status string
		errSub string
	}{
		{"the client applies", first[0], api.OpApplied, ""},
		{"a to-do of a client the portal lacks", first[1], api.OpRejected, "has no client nobody"},
		{"an op the server found invalid", first[2], api.OpRejected, "needs a client"},
		{"an op its rule rejects", first[3], api.OpRejected, "the rule says no"},
	}
	for _, tt := range tests {
		if tt.got.Status != tt.status || !strings.Contains(tt.got.Error, tt.errSub) {
			t.Errorf("%s: %+v, want %s %q", tt.name, tt.got, tt.status, tt.errSub)
		}
	}

	again := p.Apply(t, rules, client, orphan, refused)
	if again[0].Status != api.OpDuplicate || again[0].Seq != first[0].Seq {
		t.Errorf("the client op again = %+v, want a duplicate of seq %d", again[0], first[0].Seq)
	}
	if again[1].Status != api.OpRejected || again[1].Error != first[1].Error {
		t.Errorf("the rejected op again = %+v, want its first answer", again[1])
	}
	if calls != 1 {
		t.Errorf("the rule ran %d times, want once: a rejected op is answered from the record", calls)
	}
	if n, _ := p.CountChangesForOp(context.Background(), p.Firm.ID, client.ID); n != 1 {
		t.Errorf("the client op made %d changes, want 1", n)
	}
}

// A rule's failure (not a rejection) fails the whole batch: nothing of it is kept.
func TestABatchWhoseRuleFailsKeepsNothing(t *testing.T) {
	p := portaltest.Open(t)
	ctx := context.Background()
	broken := errors.New("disk on fire")
	rules := db.Appliers{api.KindPacketVoid: func(ctx context.Context, tx *db.Tx, firmID string, op db.Op) (int64, error) {
		if _, err := tx.Notice(ctx, firmID, db.NoticeSign, "Ada", "ada@example.com", struct{}{}); err != nil {
			return 0, err
		}
		return 0, broken
	}}
	var woke int
	p.MailQueued = func() { woke++ }
	_, err := p.ApplyOps(ctx, p.Firm.ID, "device-1", []db.Op{
		portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}),
		portaltest.Op(t, api.KindPacketVoid, "p1", api.PacketVoid{Reason: "x"}),
	}, rules)
	if !errors.Is(err, broken) {
		t.Fatalf("ApplyOps = %v, want the rule's error", err)
	}
	if changes, _, _ := p.Changes(ctx, p.Firm.ID, 0, 10); len(changes) != 0 {
		t.Errorf("a failed batch left %d changes", len(changes))
	}
	if mail := portaltest.Notices[struct{}](t, p, db.NoticeSign); len(mail) != 0 || woke != 0 {
		t.Errorf("a failed batch left %d notices and woke the mail worker %d times", len(mail), woke)
	}
}

// packetOf stores a client, a blob and a two-signer packet, the first signer sent.
func packetOf(t *testing.T, p *portaltest.Portal) string {
	t.Helper()
	ctx := context.Background()
	sha := strings.Repeat("ab", 32)
	if err := p.AddBlob(ctx, p.Firm.ID, sha, 1000); err != nil {
		t.Fatal(err)
	}
	p.Apply(t, nil, portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}))
	id := ulid.Make().String()
	pk := &api.Packet{ClientID: "c1", Title: "Form 8879", SHA256: sha, Size: 1000, Pages: 1, Ordered: true,
		Recipients: []api.Recipient{{ID: "r1", Name: "Ada", Email: "ada@example.com"}, {ID: "r2", Name: "Ben", Email: "ben@example.com"}}}
	err := p.Update(ctx, func(tx *db.Tx) error {
		return tx.InsertPacket(ctx, p.Firm.ID, id, pk, nil, []string{api.SignerSent, api.SignerWaiting})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestAPacketReadsBackWithItsSignersInOrder(t *testing.T) {
	p := portaltest.Open(t)
	ctx := context.Background()
	id := packetOf(t, p)
	var token string
	err := p.Update(ctx, func(tx *db.Tx) (err error) {
		token, err = tx.SignLink(ctx, p.Firm.ID, id, "r2")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	row, rid, err := p.PacketByLink(ctx, auth.HashToken(token))
	if err != nil {
		t.Fatal(err)
	}
	if rid != "r2" || row.FirmName != "Acme CPA" || row.ClientName != "Okafor household" || row.Packet.Title != "Form 8879" {
		t.Errorf("by link: signer %q, packet %+v", rid, row)
	}
	if len(row.Signers) != 2 || row.Signers[0].ID != "r1" || row.Signers[0].State != api.SignerSent ||
		row.Signers[1].ID != "r2" || row.Signers[1].State != api.SignerWaiting {
		t.Errorf("signers %+v, want r1 sent then r2 waiting", row.Signers)
	}
	if _, _, err := p.PacketByLink(ctx, auth.HashToken("no such token")); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("an unknown link = %v, want ErrNotFound", err)
	}
}

// MoveSigner moves only from the state it is told, so two requests racing move once.
func TestASignerMovesOnlyFromTheStateNamed(t *testing.T) {
	p := portaltest.Open(t)
	ctx := context.Background()
	id := packetOf(t, p)
	tests := []struct {
		name, rid, from, to string
		moved               bool
	}{
		{"sent to viewed", "r1", api.SignerSent, api.SignerViewed, true},
		{"sent to viewed again", "r1", api.SignerSent, api.SignerViewed, false},
		{"a waiting signer is not sent", "r2", api.SignerSent, api.SignerViewed, false},
		{"waiting to sent", "r2", api.SignerWaiting, api.SignerSent, true},
	}
	for _, tt := range tests {
		var moved bool
		err := p.Update(ctx, func(tx *db.Tx) (err error) {
			moved, err = tx.MoveSigner(ctx, p.Firm.ID, id, tt.rid, tt.from, tt.to)
			return err
		})
		if err != nil || moved != tt.moved {
			t.Errorf("%s: moved %v, %v; want %v", tt.name, moved, err, tt.moved)
		}
	}
}

// An invitation link is found by its token, used once, and revoked only where asked.
func TestInvitationLinksAreScopedToTheirClient(t *testing.T) {
	p := portaltest.Open(t)
	ctx := context.Background()
	p.Apply(t, nil, portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}),
		portaltest.Op(t, api.KindClientPut, "c2", api.Client{Name: "Okafor LLC"}))
	tokens := map[string]string{}
	err := p.Update(ctx, func(tx *db.Tx) error {
		user, err := tx.CreatePortalUser(ctx, p.Firm.ID, "ada@example.com", "Ada")
		if err != nil {
			return err
		}
		for _, c := range []string{"c1", "c2"} {
			if _, tokens[c], err = tx.CreateInvitation(ctx, p.Firm.ID, user, c, p.Now.Add(24*time.Hour)); err != nil {
				return err
			}
		}
		return tx.RevokeLinks(ctx, user, "c1")
	})
	if err != nil {
		t.Fatal(err)
	}
	c1, err := p.InvitationByToken(ctx, auth.HashToken(tokens["c1"]))
	if err != nil || !c1.Revoked || c1.User.Email != "ada@example.com" {
		t.Fatalf("c1's link = %+v, %v; want revoked, Ada's", c1, err)
	}
	c2, err := p.InvitationByToken(ctx, auth.HashToken(tokens["c2"]))
	if err != nil || c2.Revoked || c2.Used {
		t.Fatalf("c2's link = %+v, %v; want live", c2, err)
	}
	if err := p.Update(ctx, func(tx *db.Tx) error { return tx.UseInvitation(ctx, c2.ID) }); err != nil {
		t.Fatal(err)
	}
	if c2, _ = p.InvitationByToken(ctx, auth.HashToken(tokens["c2"])); !c2.Used {
		t.Errorf("c2's link after use = %+v, want used", c2)
	}
}
