package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/esign"
	"portico/backend/portal/sealing"
	"portico/backend/testkit/pdftest"
)

var signRE = regexp.MustCompile(`http://[^\s"<]+(/sign/[A-Za-z0-9_-]+)`)

// signPath takes the newest mail to addr and returns the signing link's path.
func (p *portal) signPath(addr string) (subject, path string) {
	p.t.Helper()
	subject, text, _ := p.mail(addr)
	m := signRE.FindStringSubmatch(text)
	if m == nil {
		p.t.Fatalf("no signing link in the mail to %s: %s", addr, text)
	}
	return subject, m[1]
}

// sealer gives the test portal a sealing worker over its own blob store.
func (p *portal) sealer(t *testing.T) *sealing.Worker {
	keys, _ := auth.NewSealer(bytes.Repeat([]byte{9}, 32))
	return &sealing.Worker{DB: p.db, Blobs: p.blobs, Keys: keys, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func (p *portal) feedKinds(kind string) []api.Change {
	p.t.Helper()
	var resp api.ChangesResponse
	p.api("GET", api.PathChanges+"?after=0&limit=1000", nil, &resp)
	var out []api.Change
	for _, c := range resp.Changes {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

func (p *portal) lastPacketState(id string) api.PacketState {
	p.t.Helper()
	var st api.PacketState
	for _, c := range p.feedKinds(api.KindPacketState) {
		if c.EntityID == id {
			json.Unmarshal(c.Data, &st)
		}
	}
	return st
}

func (p *portal) sendPacket(pk api.Packet, todo bool) string {
	p.t.Helper()
	id := ulid.Make().String()
	ops := []api.Op{op(api.KindPacketPut, id, pk)}
	if todo {
		ops = append(ops, op(api.KindTodoPut, ulid.Make().String(), api.Todo{ClientID: pk.ClientID, Title: "Sign " + pk.Title,
			State: api.TodoOpen, PacketID: id}))
	}
	p.mustPush(ops...)
	return id
}

func TestSigningInOrderSealedAndVerified(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	ana := p.accept("ana@example.com", "ana-password-12")
	luis := p.accept("luis@example.com", "luis-password-12")
	w := p.sealer(t)
	p.web.Sealing = w

	pdf := pdftest.Make(pdftest.Letter("Form 8879"), pdftest.Page{W: 792, H: 612, Text: "Landscape"})
	if code := p.sendBlob(pdf, ""); code != http.StatusNoContent {
		t.Fatalf("blob: %d", code)
	}
	recipients := []api.Recipient{{ID: "a", Name: "Ana Pérez", Email: "ana@example.com"},
		{ID: "l", Name: "Luis Pérez", Email: "luis@example.com"}, {ID: "k", Name: "Катерина Бойко", Email: "kat@example.com"}}
	pk := api.Packet{ClientID: "c1", Title: "Form 8879", SHA256: sum(pdf), Size: int64(len(pdf)), Pages: 2,
		Recipients: recipients, Ordered: true, Subject: "Please sign: Form 8879", Message: "Sign please.", SentBy: "Sam",
		Fields: []api.Field{
			{ID: "f1", Type: api.FieldSignature, RecipientID: "a", Box: api.Box{Page: 0, X: .1, Y: .8, W: .3, H: .05}},
			{ID: "f2", Type: api.FieldInitials, RecipientID: "a", Box: api.Box{Page: 1, X: .8, Y: .9, W: .1, H: .05}},
			{ID: "f3", Type: api.FieldSignature, RecipientID: "l", Box: api.Box{Page: 0, X: .5, Y: .8, W: .3, H: .05}},
			{ID: "f4", Type: api.FieldSignature, RecipientID: "k", Box: api.Box{Page: 1, X: .1, Y: .5, W: .3, H: .05}},
			{ID: "f5", Type: api.FieldDate, RecipientID: "k", Box: api.Box{Page: 1, X: .5, Y: .5, W: .2, H: .04}},
		}}

	bad := pk
	bad.Fields = append([]api.Field{}, pk.Fields...)
	bad.Fields[0].Box.X = 0.9 // runs off the page
	noBlob := pk
	noBlob.SHA256, noBlob.Size = strings.Repeat("ab", 32), 10
	for what, b := range map[string]api.Packet{"a field off its page": bad, "a document the portal lacks": noBlob} {
		res := p.push(op(api.KindPacketPut, ulid.Make().String(), b))
		if res[0].Status != api.OpRejected {
			t.Errorf("%s: %+v", what, res[0])
		}
	}

	id := p.sendPacket(pk, true)
	if st := p.lastPacketState(id); st.State != api.PacketSent || st.Signers[0].State != api.SignerSent ||
		st.Signers[1].State != api.SignerWaiting {
		t.Fatalf("state after sending: %+v", st)
	}
	subject, anaLink := p.signPath("ana@example.com")
	if subject != "Please sign: Form 8879" {
		t.Fatalf("subject %q", subject)
	}
	status, body := p.browser().get(anaLink)
	expect(t, "Ana's emailed link", status, body, http.StatusOK, "Agree to sign electronically")

	// Luis is second: the server refuses him until Ana has signed, whatever he posts.
	status, body = luis.get("/packets/" + id + "/sign")
	expect(t, "Luis's turn not yet", status, body, http.StatusOK, "Ana Pérez signs first")
	status, body = luis.post("/packets/"+id+"/sign", url.Values{"name": {"Luis Pérez"}, "consent": {"yes"}})
	expect(t, "Luis signing early", status, body, http.StatusConflict, "")

	// Ana finds it in To-Dos and signs in the portal; she cannot mark it done by hand.
	status, body = ana.get("/todos")
	expect(t, "Ana's to-dos", status, body, http.StatusOK, "/packets/"+id+"/sign")
	status, body = ana.get("/packets/" + id + "/sign")
	expect(t, "Ana's signing page", status, body, http.StatusOK, `data-pdf="/packets/`+id+`/sign/document.pdf"`)
	expect(t, "the signing page's tab", status, body, http.StatusOK, `<a href="/todos" aria-current="page">To-Dos</a>`)
	if status, doc := ana.get("/packets/" + id + "/sign/document.pdf"); status != http.StatusOK || doc != string(pdf) {
		t.Fatalf("the document for the viewer: %d", status)
	}
	status, body = ana.post("/packets/"+id+"/sign", url.Values{"name": {"Ana Pérez"}, "consent": {"yes"},
		"signature_png": {"data:image/png;base64,AAAA"}})
	expect(t, "a broken drawing", status, body, http.StatusUnprocessableEntity, "could not be read")
	status, body = ana.post("/packets/"+id+"/sign", url.Values{"name": {"Ana Pérez"}, "consent": {"yes"}, "initials": {"AP"}})
	expect(t, "Ana signs", status, body, http.StatusSeeOther, "")
	if st := p.lastPacketState(id); st.Signers[0].State != api.SignerSigned || st.Signers[1].State != api.SignerSent {
		t.Fatalf("after Ana: %+v", st)
	}
	status, body = ana.post("/packets/"+id+"/sign", url.Values{"name": {"Ana Pérez"}, "consent": {"yes"}})
	expect(t, "Ana again", status, body, http.StatusConflict, "")

	_, luisLink := p.signPath("luis@example.com")
	lb := p.browser()
	status, body = lb.get(luisLink)
	expect(t, "Luis by link", status, body, http.StatusOK, "Form 8879")
	status, body = lb.post(luisLink, url.Values{"name": {"Luis Pérez"}, "consent": {"yes"}})
	expect(t, "Luis signs", status, body, http.StatusSeeOther, "")

	_, katLink := p.signPath("kat@example.com")
	kb := p.browser()
	kb.get(katLink)
	// Her date field shows her own day: 09:00 UTC is still yesterday in Pago Pago.
	status, body = kb.post(katLink, url.Values{"name": {"Катерина Бойко"}, "consent": {"yes"}, "tz": {"Pacific/Pago_Pago"}})
	expect(t, "Kat signs", status, body, http.StatusSeeOther, "")
	// The page after the last signature says the seal is coming and asks until it is there.
	status, body = kb.get(katLink)
	expect(t, "the page while sealing", status, body, http.StatusOK, "is being sealed")
	if !strings.Contains(body, `data-seal-wait="`+katLink+`/ready"`) {
		t.Fatalf("the page while sealing does not wait for the seal:\n%s", body)
	}
	if status, _ := kb.get(katLink + "/ready"); status != http.StatusAccepted {
		t.Fatalf("ready while sealing: %d, want 202", status)
	}

	// A timestamp authority that is down: no seal without it, and staff are told why.
	w.TSA, w.TSATries = "http://127.0.0.1:1/tsa", 1
	w.SealReady(context.Background())
	if st := p.lastPacketState(id); st.State != api.PacketSent || !strings.Contains(st.Problem, "timestamp") {
		t.Fatalf("sealing with the TSA down: %+v", st)
	}
	w.TSA = ""
	w.SealReady(context.Background())
	if st := p.lastPacketState(id); st.State != api.PacketSent {
		t.Fatalf("tried again at once, not after a pause: %+v", st)
	}
	p.clock.Advance(time.Minute)
	w.SealReady(context.Background())
	st := p.lastPacketState(id)
	if st.State != api.PacketCompleted || st.SignedFileID == "" {
		t.Fatalf("after the last signature and the seal: %+v", st)
	}
	var signed api.File
	for _, c := range p.feedKinds(api.KindFilePut) {
		if c.EntityID == st.SignedFileID {
			json.Unmarshal(c.Data, &signed)
		}
	}
	if signed.Dir != sealing.SignedDir || signed.Name != "Form 8879 (signed).pdf" || !signed.Visible {
		t.Fatalf("the sealed file: %+v", signed)
	}
	var closed api.Todo
	for _, c := range p.feedKinds(api.KindTodoPut) {
		json.Unmarshal(c.Data, &closed)
	}
	if closed.PacketID != id || closed.State != api.TodoDone {
		t.Fatalf("the packet's to-do: %+v", closed)
	}
	// Every signer, with portal access or not, gets a mail with their copy.
	for _, addr := range []string{"ana@example.com", "luis@example.com", "kat@example.com"} {
		subject, text, _ := p.mail(addr)
		m := signRE.FindStringSubmatch(text)
		if subject != "Signed: Form 8879" || m == nil || !strings.Contains(text, "the digital seal of Alpha CPA,") {
			t.Fatalf("the completion mail to %s: %q\n%s", addr, subject, text)
		}
		link := m[1]
		status, body := p.browser().get(link)
		expect(t, "the completion link of "+addr, status, body, http.StatusOK, "/signed.pdf")
	}
	if status, _ := kb.get(katLink + "/ready"); status != http.StatusNoContent {
		t.Fatalf("ready once sealed: %d, want 204", status)
	}
	status, sealed := kb.get(katLink + "/signed.pdf")
	if status != http.StatusOK || !strings.HasPrefix(sealed, "%PDF") {
		t.Fatalf("the signer's copy: %d", status)
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = strings.NewReader(sealed)
	if text, err := cmd.Output(); err != nil || !strings.Contains(string(text), "November 26, 2026") ||
		!strings.Contains(string(text), "Катерина Бойко") {
		t.Fatalf("the sealed text (the date in the signer's zone, her name): %v\n%s", err, text)
	}
	status, body = ana.get("/files")
	expect(t, "the signed copy in Ana's files", status, body, http.StatusOK, "Form 8879 (signed).pdf")

	// The signer's copy is the sealed bytes, whatever staff later do with the file.
	p.mustPush(op(api.KindFilePut, st.SignedFileID, api.File{ClientID: "c1", Dir: signed.Dir, Name: signed.Name,
		SHA256: signed.SHA256, Size: signed.Size, Source: api.SourceFirm, Visible: false, Deleted: true}))
	if status, again := kb.get(katLink + "/signed.pdf"); status != http.StatusOK || again != sealed {
		t.Fatalf("the signer's copy after staff deleted the file: %d", status)
	}

	// Anyone can check a sealed PDF on the portal; a changed one fails.
	vb := p.browser()
	vb.get("/verify")
	status, body = vb.postVerify(sealed)
	expect(t, "verify the sealed PDF", status, body, http.StatusOK, "is intact: sealed by Alpha CPA")
	status, body = vb.postVerify(strings.Replace(sealed, "Form 8879", "Form 8878", 1))
	expect(t, "verify a changed PDF", status, body, http.StatusOK, "not intact")
	status, body = vb.postVerify(string(pdf))
	expect(t, "verify an unsealed PDF", status, body, http.StatusOK, "")
	if strings.Contains(body, "is intact") {
		t.Fatal("an unsealed PDF passed as sealed")
	}
	// A firm that changes its certificate still owns what it sealed before.
	firm := p.user("ana@example.com").FirmID
	if err := w.NewFirmSeal(context.Background(), firm, "Alpha CPA"); err != nil {
		t.Fatal(err)
	}
	status, body = vb.postVerify(sealed)
	expect(t, "verify after the firm's certificate changed", status, body, http.StatusOK, "is intact: sealed by Alpha CPA")
}

func TestClipKeepsCharactersWhole(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"Mozilla", 10, "Mozilla"},
		{"Mozilla", 3, "Moz"},
		{"Жж", 3, "Ж"}, // Ж is two bytes: the second is not cut in half
		{"", 5, ""},
	} {
		if got := clip(tt.in, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func (b *browser) postVerify(pdf string) (int, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf())
	fw, _ := mw.CreateFormFile("file", "return.pdf")
	fw.Write([]byte(pdf))
	mw.Close()
	req, _ := http.NewRequest("POST", b.url("/verify"), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func TestRemindersExpiryDeclineAndVoid(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	pdf := pdftest.Make(pdftest.Letter("Engagement"))
	p.sendBlob(pdf, "")
	one := func(title, due string, remind int) (string, string) {
		pk := api.Packet{ClientID: "c1", Title: title, SHA256: sum(pdf), Size: int64(len(pdf)), Pages: 1, Due: due,
			RemindDays: remind, Recipients: []api.Recipient{{ID: "b", Name: "Bob Stone", Email: "bob@example.com"}},
			Fields: []api.Field{{ID: "s", Type: api.FieldSignature, RecipientID: "b", Box: api.Box{X: .1, Y: .1, W: .3, H: .05}}}}
		id := p.sendPacket(pk, false)
		_, link := p.signPath("bob@example.com")
		return id, link
	}
	ctx := context.Background()

	// Reminders every day, five at most, each with a link of its own; all links work.
	id, first := one("Reminded", "", 1)
	links := []string{first}
	for day := 1; day <= 7; day++ {
		p.clock.Advance(25 * time.Hour)
		reminded, _, err := p.web.packets.RemindAndExpire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 1, false: 0}[day <= 5]; reminded != want {
			t.Fatalf("day %d: %d reminders, want %d", day, reminded, want)
		}
		if day <= 5 {
			subject, link := p.signPath("bob@example.com")
			if !strings.HasPrefix(subject, "Reminder: ") {
				t.Fatalf("reminder subject %q", subject)
			}
			links = append(links, link)
		}
	}
	for _, l := range links {
		status, body := p.browser().get(l)
		expect(t, "a reminded link", status, body, http.StatusOK, "Agree to sign electronically")
	}

	// Voided by staff: every link says so.
	p.mustPush(op(api.KindPacketVoid, id, api.PacketVoid{Reason: "sent by mistake"}))
	status, body := p.browser().get(links[2])
	expect(t, "a voided link", status, body, http.StatusOK, "withdrew this request")
	if st := p.lastPacketState(id); st.State != api.PacketVoided || st.Reason != "sent by mistake" {
		t.Fatalf("voided: %+v", st)
	}

	// Past its due day it expires.
	due := p.clock.Now().UTC().Format(time.DateOnly)
	id, link := one("Due today", due, 0)
	p.clock.Advance(12 * time.Hour)
	if _, expired, _ := p.web.packets.RemindAndExpire(ctx); expired != 0 {
		t.Fatal("expired on its due day")
	}
	p.clock.Advance(48 * time.Hour)
	if _, expired, _ := p.web.packets.RemindAndExpire(ctx); expired != 1 {
		t.Fatal("not expired two days after its due day")
	}
	status, body = p.browser().get(link)
	expect(t, "an expired link", status, body, http.StatusOK, "expired on its due date")
	if st := p.lastPacketState(id); st.State != api.PacketExpired {
		t.Fatalf("expired: %+v", st)
	}

	// Declined, with a reason that reaches staff.
	id, link = one("Declined", "", 0)
	b := p.browser()
	b.get(link)
	status, body = b.post(link+"/decline", url.Values{"reason": {""}})
	expect(t, "declining without a reason", status, body, http.StatusUnprocessableEntity, "Say why")
	status, body = b.post(link+"/decline", url.Values{"reason": {"The amounts are wrong"}})
	expect(t, "declining", status, body, http.StatusSeeOther, "")
	if st := p.lastPacketState(id); st.State != api.PacketDeclined || st.Reason != "The amounts are wrong" {
		t.Fatalf("declined: %+v", st)
	}
	status, body = b.post(link, url.Values{"name": {"Bob Stone"}, "consent": {"yes"}})
	expect(t, "signing a declined packet", status, body, http.StatusConflict, "declined")

	// A co-user of the client who is not asked to sign sees the task, without a way to sign.
	ana := p.accept("ana@example.com", "ana-password-12")
	id, _ = one("For Bob only", "", 0)
	p.mustPush(op(api.KindTodoPut, "todo-bob", api.Todo{ClientID: "c1", Title: "Sign For Bob only", State: api.TodoOpen, PacketID: id}))
	status, body = ana.get("/todos")
	expect(t, "Ana's to-dos", status, body, http.StatusOK, "Waiting for the people asked to sign")
	if strings.Contains(body, "/packets/"+id+"/sign") {
		t.Fatal("a co-user who does not sign got a link to sign")
	}
	// A task for a request the portal never took is refused; voiding such a request
	// withdraws any task left for it.
	res := p.push(op(api.KindTodoPut, "todo-ghost", api.Todo{ClientID: "c1", Title: "Sign nothing", State: api.TodoOpen,
		PacketID: ulid.Make().String()}))
	if res[0].Status != api.OpRejected {
		t.Fatalf("a task for no request: %+v", res[0])
	}
	p.mustPush(op(api.KindPacketVoid, ulid.Make().String(), api.PacketVoid{}))

	// A made-up link is not a packet's.
	status, body = p.browser().get("/sign/not-a-real-token-at-all-but-long-enough-xx")
	expect(t, "an unknown link", status, body, http.StatusNotFound, "not valid")
}

// A seal that keeps failing is tried after longer and longer pauses, then no more: staff see
// why, and the portal does not spend itself on one document for ever.
func TestSealingStopsTryingAfterItsTries(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	w := p.sealer(t)
	var asked atomic.Int32
	tsa := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Error(rw, "down", http.StatusServiceUnavailable)
	}))
	defer tsa.Close()
	w.TSA, w.TSATries = tsa.URL, 1

	pdf := pdftest.Make(pdftest.Letter("Engagement letter"))
	if code := p.sendBlob(pdf, ""); code != http.StatusNoContent {
		t.Fatalf("blob: %d", code)
	}
	id := p.sendPacket(api.Packet{ClientID: "c1", Title: "Engagement letter", SHA256: sum(pdf), Size: int64(len(pdf)), Pages: 1,
		Recipients: []api.Recipient{{ID: "a", Name: "Ana Pérez", Email: "ana@example.com"}}, Subject: "Please sign", SentBy: "Sam",
		Fields: []api.Field{{ID: "f1", Type: api.FieldSignature, RecipientID: "a", Box: api.Box{X: .1, Y: .8, W: .3, H: .05}}}}, false)
	_, link := p.signPath("ana@example.com")
	b := p.browser()
	b.get(link)
	if status, body := b.post(link, url.Values{"name": {"Ana Pérez"}, "consent": {"yes"}}); status != http.StatusSeeOther {
		t.Fatalf("signing: %d %s", status, body)
	}
	for try := 1; try <= esign.SealTries; try++ {
		w.SealReady(context.Background())
		if got := asked.Load(); got != int32(try) {
			t.Fatalf("try %d: the timestamp authority was asked %d times", try, got)
		}
		p.clock.Advance(time.Hour)
	}
	st := p.lastPacketState(id)
	if st.State != api.PacketSent || !strings.Contains(st.Problem, "stopped trying") || !strings.Contains(st.Problem, "timestamp") {
		t.Fatalf("after every try: %+v", st)
	}
	p.clock.Advance(24 * time.Hour)
	w.SealReady(context.Background())
	if got := asked.Load(); got != esign.SealTries {
		t.Fatalf("tried again after giving up: %d asks", got)
	}
}

// A try that never ends (portald killed while sealing) still counts, so a document that
// kills the process is not picked up on every start.
func TestInterruptedSealsCount(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	pdf := pdftest.Make(pdftest.Letter("Engagement letter"))
	p.sendBlob(pdf, "")
	p.sendPacket(api.Packet{ClientID: "c1", Title: "Engagement letter", SHA256: sum(pdf), Size: int64(len(pdf)), Pages: 1,
		Recipients: []api.Recipient{{ID: "a", Name: "Ana Pérez", Email: "ana@example.com"}}, Subject: "Please sign", SentBy: "Sam",
		Fields: []api.Field{{ID: "f1", Type: api.FieldSignature, RecipientID: "a", Box: api.Box{X: .1, Y: .8, W: .3, H: .05}}}}, false)
	_, link := p.signPath("ana@example.com")
	b := p.browser()
	b.get(link)
	b.post(link, url.Values{"name": {"Ana Pérez"}, "consent": {"yes"}})
	ctx := context.Background()
	for try := 1; ; try++ {
		jobs, err := p.web.packets.SealJobs(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) == 0 {
			if try != esign.SealTries+1 {
				t.Fatalf("no job after %d interrupted tries", try-1)
			}
			break
		}
		if try == 3 {
			if st := p.lastPacketState(jobs[0].PacketID); !strings.Contains(st.Problem, "interrupted") {
				t.Fatalf("staff are not told of the interrupted tries: %+v", st)
			}
		}
		if try > esign.SealTries {
			t.Fatalf("still a job after %d interrupted tries", try-1)
		}
		if _, err := p.web.packets.ClaimSeal(ctx, jobs[0]); err != nil { // and then the process dies
			t.Fatal(err)
		}
		p.clock.Advance(time.Hour)
	}
}

// The portal reads every packet's document when it arrives, whatever the desktop said of
// it: a file that cannot be sealed is refused now, in words, not after everyone signed.
func TestPacketsWithDocumentsThatCannotBeSealedAreRefused(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	stamp := "<< /Type /DocTimeStamp /SubFilter /ETSI.RFC3161 /ByteRange [0 100 200 300] /Contents <" + strings.Repeat("0", 4096) + "> >>"
	for _, c := range []struct {
		name string
		pdf  []byte
		want string
	}{
		{"already timestamped", pdftest.MakeWith("/AcroForm << /Fields [4 0 R] /SigFlags 3 >>", []string{
			"<< /FT /Sig /T (Signature1) /V 5 0 R /Subtype /Widget /Rect [0 0 0 0] >>", stamp}, pdftest.Letter("Signed")), "already signed"},
		{"a decompression bomb", pdftest.Bomb(150), "expands"},
		{"not a PDF", []byte("%PDF-1.7\nnothing here\n%%EOF\n"), "damaged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if code := p.sendBlob(c.pdf, ""); code != http.StatusNoContent {
				t.Fatalf("blob: %d", code)
			}
			res := p.push(op(api.KindPacketPut, ulid.Make().String(), api.Packet{ClientID: "c1", Title: c.name, SHA256: sum(c.pdf),
				Size: int64(len(c.pdf)), Pages: 1, Recipients: []api.Recipient{{ID: "a", Name: "Ana Pérez", Email: "ana@example.com"}},
				Subject: "Please sign", SentBy: "Sam",
				Fields: []api.Field{{ID: "f1", Type: api.FieldSignature, RecipientID: "a", Box: api.Box{X: .1, Y: .8, W: .3, H: .05}}}}))
			if res[0].Status != api.OpRejected || !strings.Contains(res[0].Error, c.want) {
				t.Fatalf("push: %+v, want rejected with %q", res[0], c.want)
			}
		})
	}
}
