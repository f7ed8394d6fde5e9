package esign

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
	"portico/backend/testkit/pdftest"
)

// disk is a client's files as paths in a temporary folder.
type disk map[string]string

func (d disk) AbsPath(_ context.Context, id string) (string, error) {
	if p, ok := d[id]; ok {
		return p, nil
	}
	return "", store.ErrNotFound
}

// portal is a fake portal: offline until told otherwise; it records what it received.
type portal struct {
	online   bool
	blobs    map[string][]byte
	uploads  int
	lastSize int64
}

var errOffline = errors.New("offline")

func (p *portal) HasBlob(_ context.Context, sha string) (bool, error) {
	if !p.online {
		return false, errOffline
	}
	_, ok := p.blobs[sha]
	return ok, nil
}

func (p *portal) CreateUpload(_ context.Context, size int64, sha string) (string, error) {
	p.uploads++
	return "upload/" + sha, nil
}

func (p *portal) SendUpload(_ context.Context, url string, src io.ReaderAt, size int64, _ func(int64)) error {
	b := make([]byte, size)
	if _, err := src.ReadAt(b, 0); err != nil && err != io.EOF {
		return err
	}
	p.blobs[strings.TrimPrefix(url, "upload/")] = b
	return nil
}

func (p *portal) Offline(err error) bool { return errors.Is(err, errOffline) }

func setup(t *testing.T) (*Service, store.Client, disk) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	c, err := (&clients.Service{Store: st, Now: clock}).Create(ctx, clients.Input{Name: "Ana", People: []clients.PersonInput{
		{Role: api.RolePrimary, Name: "Ana Pérez", Email: "ana@example.com"}, {Role: api.RoleSpouse, Name: "Luis"}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := disk{}
	write := func(id, name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files[id] = p
	}
	write("letter", "letter.pdf", pdftest.Make(pdftest.Letter("Letter"), pdftest.Page{W: 612, H: 792, Rotate: 270}))
	write("text", "notes.pdf", []byte("just text, named .pdf"))
	write("empty", "empty.pdf", nil)
	return &Service{Store: st, Files: files, Dir: filepath.Join(t.TempDir(), "packets"), Now: clock,
		Staff: func() string { return "Sam" }}, c, files
}

// packetOps are the packet ops waiting in the outbox.
func packetOps(t *testing.T, st *store.Store) []store.Op {
	t.Helper()
	all, err := st.PendingOps(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Op
	for _, op := range all {
		if strings.HasPrefix(op.Kind, "packet.") {
			out = append(out, op)
		}
	}
	return out
}

func draft(c store.Client) Draft {
	return Draft{ClientID: c.ID, FileID: "letter", Title: "Engagement letter",
		Recipients: []api.Recipient{{ID: "r1", Name: "Ana Pérez", Email: "ana@example.com"}},
		Fields:     []api.Field{{Type: api.FieldSignature, RecipientID: "r1", Box: api.Box{Page: 1, X: .1, Y: .1, W: .3, H: .05}}}}
}

func TestOpenSaysWhatIsWrongWithAFile(t *testing.T) {
	s, _, _ := setup(t)
	ctx := context.Background()
	doc, err := s.Open(ctx, "letter")
	if err != nil || len(doc.Pages) != 2 || doc.Pages[1].W != 792 || doc.Pages[1].H != 612 || doc.PDF == "" {
		t.Fatalf("Open(letter) = %+v, %v", doc.Pages, err)
	}
	// The editor reads pages as {w, h}: the JSON the binding sends is its contract.
	if b, _ := json.Marshal(doc.Pages[1]); string(b) != `{"w":792,"h":612}` {
		t.Fatalf("a page as the UI gets it: %s", b)
	}
	for _, id := range []string{"text", "empty", "gone"} {
		_, err := s.Open(ctx, id)
		var inv *invalid.Error
		if !errors.As(err, &inv) {
			t.Errorf("Open(%s) = %v, want an error in words", id, err)
		}
	}
}

func TestSendValidatesQueuesAndGoesOutWhenOnline(t *testing.T) {
	s, c, files := setup(t)
	ctx := context.Background()
	bad := []struct {
		what string
		edit func(*Draft)
		want string
	}{
		{"no name", func(d *Draft) { d.Title = " " }, "give the document a name"},
		{"no recipient", func(d *Draft) { d.Recipients, d.Fields = nil, nil }, "add at least one recipient"},
		{"no signature field", func(d *Draft) { d.Fields[0].Type = api.FieldDate }, "has no signature field"},
		{"off the page", func(d *Draft) { d.Fields[0].Box.X = .9 }, "outside its page"},
		{"a missing page", func(d *Draft) { d.Fields[0].Box.Page = 2 }, "page 3 of 2"},
		{"a bad email", func(d *Draft) { d.Recipients[0].Email = "ana" }, "is not a valid email address"},
		{"a past due date", func(d *Draft) { d.Due = "2026-11-01" }, "has passed"},
		{"a damaged file", func(d *Draft) { d.FileID = "text" }, "cannot be sent for signature"},
	}
	for _, tt := range bad {
		d := draft(c)
		d.Recipients = append([]api.Recipient{}, d.Recipients...)
		d.Fields = append([]api.Field{}, d.Fields...)
		tt.edit(&d)
		_, err := s.Send(ctx, d)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.what, err, tt.want)
		}
	}
	// A draft is kept, then sent; the client's task is there at once.
	v, err := s.Save(ctx, draft(c))
	if err != nil || v.State != store.PacketDraft {
		t.Fatalf("Save = %+v, %v", v, err)
	}
	d := v.Draft
	d.Due = "2026-12-15"
	v, err = s.Send(ctx, d)
	if err != nil || v.State != store.PacketQueued || v.TodoID == "" || v.Signers[0].State != store.PacketQueued {
		t.Fatalf("Send = %+v, %v", v, err)
	}
	td, err := s.Store.TodosOfClient(ctx, c.ID)
	if err != nil || len(td) != 1 || td[0].PacketID != v.ID || td[0].Due != "2026-12-15" {
		t.Fatalf("the task: %+v, %v", td, err)
	}
	if _, err := s.Save(ctx, d); err == nil {
		t.Error("a sent packet was edited")
	}
	if err := s.Discard(ctx, v.ID); err == nil {
		t.Error("a sent packet was discarded")
	}
	// The file changes after sending: what goes out is what was sent.
	sent, _ := os.ReadFile(files["letter"])
	os.WriteFile(files["letter"], []byte("changed"), 0o644)

	p := &portal{blobs: map[string][]byte{}}
	if err := s.pushAll(ctx, p); !p.Offline(err) {
		t.Fatalf("offline push: %v", err)
	}
	if ops := packetOps(t, s.Store); len(ops) != 0 {
		t.Fatalf("ops queued before the document reached the portal: %d", len(ops))
	}
	p.online = true
	if err := s.pushAll(ctx, p); err != nil {
		t.Fatal(err)
	}
	if string(p.blobs[v.Draft.ID]) != "" || string(p.blobs[hash(sent)]) != string(sent) {
		t.Fatal("the portal did not get the document as sent")
	}
	ops := packetOps(t, s.Store)
	if len(ops) != 1 || ops[0].Kind != api.KindPacketPut {
		t.Fatalf("ops: %+v", ops)
	}
	if todoOps, _ := s.Store.PendingOpsOf(ctx, api.KindTodoPut, v.TodoID); len(todoOps) != 1 {
		t.Fatalf("the task's op after the packet's: %d", len(todoOps))
	}
	var pk api.Packet
	json.Unmarshal(ops[0].Data, &pk)
	if pk.TodoID != v.TodoID || pk.SHA256 != hash(sent) || pk.Pages != 2 || pk.SentBy != "Sam" || pk.Fields[0].ID == "" {
		t.Fatalf("the packet sent: %+v", pk)
	}
	if err := s.pushAll(ctx, p); err != nil || p.uploads != 1 {
		t.Fatalf("pushed twice: %v, %d uploads", err, p.uploads)
	}

	// The portal reports; completion closes the task.
	for _, st := range []api.PacketState{
		{ClientID: c.ID, State: api.PacketSent, Signers: []api.SignerState{{RecipientID: "r1", State: api.SignerViewed}}},
		{ClientID: c.ID, State: api.PacketCompleted, SignedFileID: "F1", Signers: []api.SignerState{{RecipientID: "r1", State: api.SignerSigned}}},
	} {
		data, _ := json.Marshal(st)
		err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
			return s.Apply(ctx, tx, api.Change{Kind: api.KindPacketState, EntityID: v.ID, Data: data, At: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	sealing, _ := json.Marshal(api.PacketState{ClientID: c.ID, State: api.PacketSent, Problem: "the timestamp authority did not answer"})
	s.Store.WithTx(ctx, func(tx *store.Tx) error {
		return s.Apply(ctx, tx, api.Change{Kind: api.KindPacketState, EntityID: v.ID, Data: sealing, At: time.Now()})
	})
	if got, _ := s.Get(ctx, v.ID); !strings.Contains(got.Error, "could not seal the document yet: the timestamp authority") {
		t.Fatalf("a seal that waits: %+v", got)
	}
	done, _ := json.Marshal(api.PacketState{ClientID: c.ID, State: api.PacketCompleted, SignedFileID: "F1",
		Signers: []api.SignerState{{RecipientID: "r1", State: api.SignerSigned}}})
	s.Store.WithTx(ctx, func(tx *store.Tx) error {
		return s.Apply(ctx, tx, api.Change{Kind: api.KindPacketState, EntityID: v.ID, Data: done, At: time.Now()})
	})
	v, _ = s.Get(ctx, v.ID)
	if v.Error != "" {
		t.Fatalf("the problem outlived the seal: %q", v.Error)
	}
	if v.State != api.PacketCompleted || v.SignedFileID != "F1" || v.Signers[0].State != api.SignerSigned {
		t.Fatalf("after completion: %+v", v)
	}
	td, _ = s.Store.TodosOfClient(ctx, c.ID)
	if td[0].State != api.TodoDone {
		t.Fatalf("task after completion: %+v", td[0])
	}
	if _, err := s.Void(ctx, v.ID, ""); err == nil {
		t.Error("a completed packet was voided")
	}
}

func TestVoidBeforeItLeftNeverSends(t *testing.T) {
	s, c, _ := setup(t)
	ctx := context.Background()
	v, err := s.Send(ctx, draft(c))
	if err != nil {
		t.Fatal(err)
	}
	if v, err = s.Void(ctx, v.ID, "wrong client"); err != nil || v.State != api.PacketVoided || v.Reason != "wrong client" {
		t.Fatalf("Void = %+v, %v", v, err)
	}
	p := &portal{online: true, blobs: map[string][]byte{}}
	if err := s.pushAll(ctx, p); err != nil || p.uploads != 0 {
		t.Fatalf("a voided packet went out: %v, %d", err, p.uploads)
	}
	if ops := packetOps(t, s.Store); len(ops) != 0 {
		t.Fatalf("ops for a packet that never left: %+v", ops)
	}
	if td, _ := s.Store.TodosOfClient(ctx, c.ID); len(td) != 0 && !td[0].Deleted {
		t.Fatalf("the task of a packet that never left: %+v", td)
	}
	// A draft is discarded, not voided.
	d, _ := s.Save(ctx, draft(c))
	if _, err := s.Void(ctx, d.ID, ""); err == nil {
		t.Error("a draft was voided")
	}
	if err := s.Discard(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(ctx, c.ID); len(list) != 1 {
		t.Fatalf("after discarding the draft: %d packets", len(list))
	}
}

func TestACompletionThatBeatsTheVoidWins(t *testing.T) {
	s, c, _ := setup(t)
	ctx := context.Background()
	v, err := s.Send(ctx, draft(c))
	if err != nil {
		t.Fatal(err)
	}
	p := &portal{online: true, blobs: map[string][]byte{}}
	if err := s.pushAll(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Void(ctx, v.ID, "too slow"); err != nil {
		t.Fatal(err)
	}
	apply := func(st api.PacketState) {
		t.Helper()
		data, _ := json.Marshal(st)
		if err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
			return s.Apply(ctx, tx, api.Change{Kind: api.KindPacketState, EntityID: v.ID, Data: data, At: time.Now()})
		}); err != nil {
			t.Fatal(err)
		}
	}
	// An older report of the request in progress does not undo the void here...
	apply(api.PacketState{ClientID: c.ID, State: api.PacketSent})
	if got, _ := s.Get(ctx, v.ID); got.State != api.PacketVoided {
		t.Fatalf("a stale report undid the void: %+v", got)
	}
	// ...but the request had completed before the void reached the portal: it is completed.
	apply(api.PacketState{ClientID: c.ID, State: api.PacketCompleted, SignedFileID: "F9"})
	got, _ := s.Get(ctx, v.ID)
	if got.State != api.PacketCompleted || got.SignedFileID != "F9" || !strings.Contains(got.Error, "too late") {
		t.Fatalf("a completion that beat the void: %+v", got)
	}
	if _, err := os.Stat(s.pdfPath(v.ID)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the copy kept for sending outlived the request: %v", err)
	}
}
