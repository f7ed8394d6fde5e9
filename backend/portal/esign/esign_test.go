package esign_test

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
	"portico/backend/portal/esign"
	"portico/backend/testkit/portaltest"
)

func rules(ps esign.Packets) db.Appliers {
	return db.Appliers{api.KindPacketPut: ps.Put, api.KindPacketVoid: ps.Void}
}

// sent stores a client and sends a two-signer packet; it answers the packet's id.
func sent(t *testing.T, p *portaltest.Portal, ps esign.Packets, ordered bool) string {
	t.Helper()
	sha := strings.Repeat("ab", 32)
	if err := p.AddBlob(context.Background(), p.Firm.ID, sha, 1000); err != nil {
		t.Fatal(err)
	}
	box := api.Box{W: .2, H: .05}
	pk := api.Packet{ClientID: "c1", Title: "Form 8879", SHA256: sha, Size: 1000, Pages: 1, Ordered: ordered,
		Due: "2026-12-10", RemindDays: 2,
		Recipients: []api.Recipient{{ID: "r1", Name: "Ada", Email: "ada@example.com"}, {ID: "r2", Name: "Ben", Email: "ben@example.com"}},
		Fields: []api.Field{{ID: "f1", Type: api.FieldSignature, RecipientID: "r1", Box: box},
			{ID: "f2", Type: api.FieldSignature, RecipientID: "r2", Box: box}}}
	if err := pk.Check(); err != nil {
		t.Fatal(err)
	}
	id := ulid.Make().String()
	res := p.Apply(t, rules(ps), portaltest.Op(t, api.KindClientPut, "c1", api.Client{Name: "Okafor household"}),
		portaltest.Op(t, api.KindPacketPut, id, pk))
	if res[1].Status != api.OpApplied {
		t.Fatalf("packet = %+v", res[1])
	}
	return id
}

func signing(t *testing.T, ps esign.Packets, m esign.SignMail) esign.Signing {
	t.Helper()
	s, err := ps.ByToken(context.Background(), auth.HashToken(m.Token))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Signers of an ordered packet are mailed in turn; a packet past its due day expires.
func TestAnOrderedPacketGoesSignerBySignerAndExpires(t *testing.T) {
	p := portaltest.Open(t)
	ps := esign.Packets{DB: p.DB}
	ctx := context.Background()
	sent(t, p, ps, true)
	signs := portaltest.Notices[esign.SignMail](t, p, db.NoticeSign)
	if len(signs) != 1 || signs[0].Signer.ID != "r1" {
		t.Fatalf("mailed %+v, want Ada only", signs)
	}
	done, err := ps.Sign(ctx, signing(t, ps, signs[0]), "Ada", map[string]db.SignValue{"f1": {Text: "Ada"}}, db.Event{IP: "192.0.2.1"})
	if err != nil || done {
		t.Fatalf("Ada signs = %v, %v; want not done yet", done, err)
	}
	if signs = portaltest.Notices[esign.SignMail](t, p, db.NoticeSign); len(signs) != 2 || signs[1].Signer.ID != "r2" {
		t.Fatalf("after Ada mailed %+v, want Ben next", signs)
	}

	p.Now = time.Date(2026, 12, 12, 0, 0, 0, 0, time.UTC) // past the due day and its grace
	if _, expired, err := ps.RemindAndExpire(ctx); err != nil || expired != 1 {
		t.Fatalf("RemindAndExpire = %d expired, %v; want 1", expired, err)
	}
	if _, err := ps.Sign(ctx, signing(t, ps, signs[1]), "Ben", map[string]db.SignValue{"f2": {Text: "Ben"}}, db.Event{}); !errors.Is(err, esign.ErrPacketEnded) {
		t.Fatalf("Ben signs an expired packet = %v, want ErrPacketEnded", err)
	}
}

// Everyone signs (any order), the seal is claimed, fails once, then completes: the task
// is done, each signer gets their copy, and the trail says so.
func TestAPacketIsSignedSealedAndMailedToEveryone(t *testing.T) {
	p := portaltest.Open(t)
	ps := esign.Packets{DB: p.DB}
	ctx := context.Background()
	id := sent(t, p, ps, false)
	signs := portaltest.Notices[esign.SignMail](t, p, db.NoticeSign)
	if len(signs) != 2 {
		t.Fatalf("mailed %d, want both signers at once", len(signs))
	}
	for i, m := range signs {
		s := signing(t, ps, m)
		if err := ps.Viewed(ctx, s, db.Event{}); err != nil {
			t.Fatal(err)
		}
		done, err := ps.Sign(ctx, signing(t, ps, m), s.Signer.Name, map[string]db.SignValue{s.Mine()[0].ID: {Text: s.Signer.Name}}, db.Event{})
		if err != nil || done != (i == 1) {
			t.Fatalf("%s signs = %v, %v", s.Signer.Name, done, err)
		}
		if _, err := ps.Sign(ctx, signing(t, ps, m), "again", nil, db.Event{}); !errors.Is(err, esign.ErrAlreadySigned) {
			t.Fatalf("%s signs twice = %v", s.Signer.Name, err)
		}
	}
	jobs, err := ps.SealJobs(ctx, 10)
	if err != nil || len(jobs) != 1 || jobs[0].PacketID != id || len(jobs[0].Values) != 2 {
		t.Fatalf("seal jobs = %+v, %v", jobs, err)
	}
	if tries, err := ps.ClaimSeal(ctx, jobs[0]); err != nil || tries != 1 {
		t.Fatalf("claim = %d, %v", tries, err)
	}
	if err := ps.SealFailed(ctx, jobs[0], "the timestamp server did not answer", false); err != nil {
		t.Fatal(err)
	}
	if again, _ := ps.SealJobs(ctx, 10); len(again) != 0 {
		t.Fatalf("a failed seal is tried again at once: %+v", again)
	}
	p.Now = p.Now.Add(time.Hour)
	if tries, err := ps.ClaimSeal(ctx, jobs[0]); err != nil || tries != 2 {
		t.Fatalf("second claim = %d, %v", tries, err)
	}
	sha := strings.Repeat("cd", 32)
	f := api.File{ClientID: "c1", Dir: "Signed", Name: "Form 8879 (signed).pdf", SHA256: sha, Size: 2000, Modified: p.Now,
		Source: "firm", Visible: true}
	fileID, err := ps.Sealed(ctx, jobs[0], f)
	if err != nil || fileID == "" {
		t.Fatalf("sealed = %q, %v", fileID, err)
	}
	if _, err := ps.Sealed(ctx, jobs[0], f); !errors.Is(err, esign.ErrPacketEnded) {
		t.Fatalf("sealed twice = %v, want ErrPacketEnded", err)
	}
	copies := 0
	for _, m := range portaltest.Notices[esign.SignMail](t, p, db.NoticeSign) {
		if m.Completed {
			copies++
		}
	}
	if copies != 2 {
		t.Errorf("%d signers were sent their copy, want 2", copies)
	}
	s := signing(t, ps, signs[0])
	if s.State != api.PacketCompleted || s.SignedFileID != fileID || s.SignedSHA256 != sha {
		t.Errorf("after the seal: %+v", s)
	}
}

// A decline ends the packet for everyone; a void after it changes nothing.
func TestADeclineEndsThePacket(t *testing.T) {
	p := portaltest.Open(t)
	ps := esign.Packets{DB: p.DB}
	ctx := context.Background()
	id := sent(t, p, ps, false)
	signs := portaltest.Notices[esign.SignMail](t, p, db.NoticeSign)
	if err := ps.Decline(ctx, signing(t, ps, signs[1]), "wrong year", db.Event{}); err != nil {
		t.Fatal(err)
	}
	s := signing(t, ps, signs[0])
	if s.State != api.PacketDeclined || s.Reason != "wrong year" || s.Open() {
		t.Fatalf("Ada after Ben declined: %+v", s)
	}
	res := p.Apply(t, rules(ps), portaltest.Op(t, api.KindPacketVoid, id, api.PacketVoid{Reason: "sent again"}))
	if res[0].Status != api.OpApplied {
		t.Fatalf("void = %+v", res[0])
	}
	if s = signing(t, ps, signs[0]); s.State != api.PacketDeclined || s.Reason != "wrong year" {
		t.Errorf("a void after a decline changed it: %+v", s)
	}
}
