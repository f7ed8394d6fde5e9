package desktop_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/esign"
	"portico/backend/desktop/files"
	"portico/backend/desktop/invites"
	"portico/backend/desktop/store"
	"portico/backend/testkit/pdftest"
)

var signLinkRE = regexp.MustCompile(`http://[^\s"<]+/sign/[A-Za-z0-9_-]+`)

// signLink waits for a request to sign sent to addr and returns its link.
func signLink(t *testing.T, p *mailedPortal, addr, subject string) string {
	t.Helper()
	m := p.mail.Latest(t, addr, subject, 20*time.Second)
	text, _ := p.mail.Body(t, m.ID)
	link := signLinkRE.FindString(text)
	if link == "" {
		t.Fatalf("no signing link in the mail to %s:\n%s", addr, text)
	}
	return link
}

// browser is a cookie-keeping client that does not follow redirects, as a test of a page
// wants.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func csrfOf(hc *http.Client, link string) string {
	u, _ := url.Parse(link)
	for _, c := range hc.Jar.Cookies(u) {
		if c.Name == "portico_csrf" {
			return c.Value
		}
	}
	return ""
}

// openSign opens a signing page and returns it.
func openSign(t *testing.T, hc *http.Client, link string) string {
	t.Helper()
	resp, err := hc.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page := readAll(resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("signing page %s: %d\n%s", link, resp.StatusCode, page)
	}
	return page
}

func postSign(t *testing.T, hc *http.Client, link string, form url.Values) (int, string) {
	t.Helper()
	form.Set("csrf", csrfOf(hc, link))
	resp, err := hc.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp)
	return resp.StatusCode, body
}

func drawnSignature(t *testing.T) string {
	img := image.NewNRGBA(image.Rect(0, 0, 300, 80))
	for x := 20; x < 280; x++ {
		img.Set(x, 40+(x%20)-10, color.Black)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

func packetOf(t *testing.T, d *desktop.Desktop, id, what string, ok func(esign.View) bool) esign.View {
	t.Helper()
	var v esign.View
	waitFor(t, 30*time.Second, what, func() bool {
		var err error
		v, err = d.ESign.Get(context.Background(), id)
		return err == nil && ok(v)
	})
	return v
}

// TestESignRoundTrip: staff prepare and send a packet with the portal down; it goes out
// when the portal is back; two signers sign in order through the links in their mail; the
// sealed PDF comes back into the client's folder, verifies, and the task closes. A second
// packet is voided and its link says so.
func TestESignRoundTrip(t *testing.T) {
	ctx := context.Background()
	p, d := startMailedPortal(t, "Ledger & Sons", "owner@ledger.test", "desk")
	c, err := d.Clients.Create(ctx, clients.Input{Name: "Papadopoulos Family", People: []clients.PersonInput{
		{Role: "primary", Name: "Ἀλέξανδρος Παπαδόπουλος", Email: "alex@papa.test"},
		{Role: "spouse", Name: "Дарья Пападопулос", Email: "daria@papa.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(d.Files.Root, "Papadopoulos Family")
	waitFor(t, 10*time.Second, "the client's folder", func() bool {
		_, err := os.Stat(filepath.Join(folder, files.SharedDir))
		return err == nil
	})
	// Alex has portal access: the request shows in To-Dos too.
	if err := d.Invites.Send(ctx, c.ID, invites.Invitation{People: []invites.Person{
		{PersonID: c.People[0].ID, Name: c.People[0].Name, Email: "alex@papa.test"}}}); err != nil {
		t.Fatal(err)
	}
	alex := acceptAsClient(t, linkIn(t, p.mail, "alex@papa.test", ""), "correct horse battery")

	writeFile(t, filepath.Join(folder, "Engagement letter.pdf"), pdftest.Make(pdftest.Letter("Engagement letter"),
		pdftest.Page{W: 612, H: 792, Rotate: 90, Text: "Schedule"}))
	letter := fileNamed(t, d, c.ID, "Engagement letter.pdf", "the letter on disk", func(f files.View) bool { return f.State == store.FileLocal })
	writeFile(t, filepath.Join(folder, "notes.txt"), []byte("not a pdf"))
	notes := fileNamed(t, d, c.ID, "notes.txt", "the notes", func(files.View) bool { return true })

	// Bad input is refused in words at preparation.
	if _, err := d.ESign.Open(ctx, notes.ID); err == nil || !strings.Contains(err.Error(), "not a PDF") {
		t.Fatalf("opening a text file: %v", err)
	}
	doc, err := d.ESign.Open(ctx, letter.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 2 || doc.Pages[1].W != 792 {
		t.Fatalf("pages as displayed: %+v", doc.Pages)
	}

	p.stop() // prepared and sent offline
	subject, message := d.ESign.Message("Engagement letter.pdf")
	alexR := api.Recipient{ID: "r-alex", Name: c.People[0].Name, Email: "alex@papa.test"}
	dariaR := api.Recipient{ID: "r-daria", Name: c.People[1].Name, Email: "daria@papa.test"}
	draft := esign.Draft{ClientID: c.ID, FileID: letter.ID, Title: "Engagement letter 2026", Ordered: true,
		Recipients: []api.Recipient{alexR, dariaR}, Subject: subject, Message: message, RemindDays: 3,
		Fields: []api.Field{
			{Type: api.FieldSignature, RecipientID: "r-alex", Box: api.Box{Page: 0, X: 0.1, Y: 0.7, W: 0.35, H: 0.06}},
			{Type: api.FieldDate, RecipientID: "r-alex", Box: api.Box{Page: 0, X: 0.5, Y: 0.7, W: 0.2, H: 0.04}},
			{Type: api.FieldSignature, RecipientID: "r-daria", Box: api.Box{Page: 1, X: 0.1, Y: 0.5, W: 0.35, H: 0.08}},
			{Type: api.FieldText, RecipientID: "r-daria", Box: api.Box{Page: 1, X: 0.5, Y: 0.5, W: 0.3, H: 0.05}},
		}}
	noSig := draft
	noSig.Fields = draft.Fields[:2]
	if _, err := d.ESign.Send(ctx, noSig); err == nil || !strings.Contains(err.Error(), "no signature field") {
		t.Fatalf("sending without Daria's signature field: %v", err)
	}
	sent, err := d.ESign.Send(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	if sent.State != store.PacketQueued || sent.TodoID == "" {
		t.Fatalf("sent offline: %+v", sent)
	}
	todos, err := d.Todos.List(ctx, c.ID)
	if err != nil || len(todos) != 1 || todos[0].PacketID != sent.ID || todos[0].State != api.TodoOpen {
		t.Fatalf("the packet's task: %+v %v", todos, err)
	}
	// Staff may edit the file after sending: the packet keeps what was sent.
	writeFile(t, filepath.Join(folder, "Engagement letter.pdf"), pdftest.Make(pdftest.Letter("Changed")))

	p.restart(t)
	packetOf(t, d, sent.ID, "the portal to take the packet", func(v esign.View) bool { return v.State == api.PacketSent })

	// In order: Alex first. Daria's turn has not come; her mail has not gone.
	link := signLink(t, p, "alex@papa.test", "Please sign")
	if page := readAll(must(alex.Get(p.url() + "/todos"))); !strings.Contains(page, "/packets/"+sent.ID+"/sign") {
		t.Fatalf("the request is not in Alex's To-Dos:\n%s", page)
	}
	hc := browser()
	page := openSign(t, hc, link)
	if !strings.Contains(page, "Engagement letter 2026") || !strings.Contains(page, `data-pdf="/sign/`) {
		t.Fatalf("signing page:\n%s", page)
	}
	packetOf(t, d, sent.ID, "the desktop to see Alex viewed it", func(v esign.View) bool {
		return v.Signers[0].State == api.SignerViewed && v.Signers[0].ViewedAt != nil
	})
	if code, body := postSign(t, hc, link, url.Values{"name": {alexR.Name}}); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "tick the box") {
		t.Fatalf("signing without consent: %d", code)
	}
	if code, body := postSign(t, hc, link, url.Values{"name": {alexR.Name}, "consent": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("Alex signing: %d\n%s", code, body)
	}

	dlink := signLink(t, p, "daria@papa.test", "Please sign")
	dc := browser()
	openSign(t, dc, dlink)
	var textID string
	for _, f := range sent.Fields {
		if f.Type == api.FieldText {
			textID = f.ID
		}
	}
	code, body := postSign(t, dc, dlink, url.Values{"name": {dariaR.Name}, "consent": {"yes"},
		"signature_png": {drawnSignature(t)}, "text_" + textID: {"Ξ Greek and Ж Cyrillic"}})
	if code != http.StatusSeeOther {
		t.Fatalf("Daria signing: %d\n%s", code, body)
	}

	done := packetOf(t, d, sent.ID, "the packet to complete", func(v esign.View) bool {
		return v.State == api.PacketCompleted && v.SignedFileID != ""
	})
	for _, s := range done.Signers {
		if s.State != api.SignerSigned || s.SignedAt == nil {
			t.Fatalf("signer at completion: %+v", s)
		}
	}
	signedPath := filepath.Join(folder, files.SharedDir, "Signed", "Engagement letter 2026 (signed).pdf")
	waitFor(t, 30*time.Second, "the sealed PDF in the client's folder", func() bool {
		f, err := d.Files.List(ctx, c.ID)
		if err != nil {
			return false
		}
		for _, v := range f {
			if v.ID == done.SignedFileID && v.State == store.FileSynced {
				return true
			}
		}
		return false
	})
	sealed, err := os.ReadFile(signedPath)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the task to close", func() bool {
		todos, err := d.Todos.List(ctx, c.ID)
		return err == nil && len(todos) == 1 && todos[0].State == api.TodoDone
	})

	// Independent checks of the sealed document, and portald's own.
	if out, err := exec.Command("pdfsig", signedPath).CombinedOutput(); err != nil || !strings.Contains(string(out), "Signature is Valid") {
		t.Fatalf("pdfsig: %v\n%s", err, out)
	}
	if out, err := exec.Command("qpdf", "--check", signedPath).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	if out, err := exec.Command("pdftotext", signedPath, "-").CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "Ἀλέξανδρος Παπαδόπουλος") || !strings.Contains(string(out), "Ξ Greek and Ж Cyrillic") ||
		!strings.Contains(string(out), sent.ID) {
		t.Fatalf("the sealed text (names, values, audit trail): %v\n%s", err, out)
	}
	if out, err := exec.Command(portaldBin, "verify", "--data", p.data, signedPath).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), "intact, sealed by Ledger & Sons") {
		t.Fatalf("portald verify: %v\n%s", err, out)
	}
	tampered := bytes.Replace(sealed, []byte("Engagement letter"), []byte("Engagement lettex"), 1)
	bad := filepath.Join(t.TempDir(), "tampered.pdf")
	writeFile(t, bad, tampered)
	if out, err := exec.Command(portaldBin, "verify", "--data", p.data, bad).CombinedOutput(); err == nil {
		t.Fatalf("portald verify passed a tampered PDF:\n%s", out)
	}
	// The signer can download the signed copy from the same link.
	if page := openSign(t, dc, dlink); !strings.Contains(page, "signed.pdf") {
		t.Fatalf("the completed signing page has no download:\n%s", page)
	}

	// A second packet, voided: its link stops working with a page saying so.
	second := draft
	second.Title, second.Ordered, second.Subject = "Consent form", false, "Please sign: Consent form"
	second.Recipients, second.Fields = draft.Recipients[:1], draft.Fields[:1]
	v2, err := d.ESign.Send(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	packetOf(t, d, v2.ID, "the second packet to go out", func(v esign.View) bool { return v.State == api.PacketSent })
	vlink := signLink(t, p, "alex@papa.test", "Please sign: Consent form")
	if _, err := d.ESign.Void(ctx, v2.ID, "wrong year"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the void to reach the portal", func() bool {
		resp, err := browser().Get(vlink)
		if err != nil {
			return false
		}
		return strings.Contains(readAll(resp), "withdrew this request")
	})
	vc := browser()
	openSign(t, vc, vlink)
	if code, body := postSign(t, vc, vlink, url.Values{"name": {"x"}, "consent": {"yes"}}); code != http.StatusConflict ||
		!strings.Contains(body, "withdrew") {
		t.Fatalf("signing a voided packet: %d\n%s", code, body)
	}
}

func must(resp *http.Response, err error) *http.Response {
	if err != nil {
		panic(err)
	}
	return resp
}

// TestFirmSealCertificate: the firm starts with a certificate of its own made by the portal;
// staff replace it from the desktop with one from a .p12 file; a wrong password or a file
// that is not a certificate is refused in words.
func TestFirmSealCertificate(t *testing.T) {
	ctx := context.Background()
	_, d := startMailedPortal(t, "Ledger & Sons", "owner@ledger.test", "desk")
	cur, err := d.SealCert.Current(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Source != "generated" || !cur.SelfSigned || !strings.Contains(cur.Subject, "Ledger & Sons") || len(cur.SHA256) != 64 {
		t.Fatalf("the generated certificate: %+v", cur)
	}
	dir := t.TempDir()
	key, crt, p12 := filepath.Join(dir, "key.pem"), filepath.Join(dir, "crt.pem"), filepath.Join(dir, "firm.p12")
	for _, args := range [][]string{
		{"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", crt, "-days", "30", "-subj", "/CN=Ledger and Sons LLP/O=Ledger and Sons LLP"},
		{"pkcs12", "-export", "-inkey", key, "-in", crt, "-out", p12, "-passout", "pass:correct horse"},
	} {
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args[0], err, out)
		}
	}
	if _, err := d.SealCert.Upload(ctx, p12, "wrong"); err == nil || !strings.Contains(err.Error(), "not accepted") {
		t.Fatalf("a wrong password: %v", err)
	}
	if _, err := d.SealCert.Upload(ctx, crt, ""); err == nil || !strings.Contains(err.Error(), "not accepted") {
		t.Fatalf("a PEM file, not PKCS#12: %v", err)
	}
	up, err := d.SealCert.Upload(ctx, p12, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if up.Source != "uploaded" || !strings.Contains(up.Subject, "Ledger and Sons LLP") || up.SHA256 == cur.SHA256 {
		t.Fatalf("the uploaded certificate: %+v", up)
	}
	if again, err := d.SealCert.Current(ctx); err != nil || again.SHA256 != up.SHA256 {
		t.Fatalf("the certificate in use after the upload: %+v, %v", again, err)
	}
}
