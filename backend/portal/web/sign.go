package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/portal/esign"
	"portico/backend/portal/mail"
	"portico/backend/portal/sealing"
)

// Sealing is what the signing pages need of the sealing worker.
type Sealing interface {
	Kick()
	Verify(ctx context.Context, r io.ReadSeeker) (sealing.Verdict, error)
}

// Limits of what a signer sends.
const (
	maxDrawing   = 256 << 10 // a drawn signature's PNG
	maxTextValue = 500
	maxVerify    = 50 << 20
)

// signPage is the signing page's data.
type signPage struct {
	Signing  esign.Signing
	Base     string // where the page posts: /sign/{token} or /packets/{id}/sign
	Fields   []signField
	Today    string
	Initials string
	FieldsJS string // the signer's boxes, for the page's script
	Problem  string // why it cannot be signed now; "" when it can
	Done     bool   // completed: the signed document can be downloaded
	Sealing  bool   // everyone signed and the seal is being made: the page waits for it
	Signed   bool   // this signer has signed
	Adopted  string // name entered before a failed post
}

type signField struct {
	api.Field
	Page  int // 1-based, for people
	Label string
	Value string
}

var fieldLabels = map[string]string{api.FieldSignature: "Signature", api.FieldInitials: "Initials",
	api.FieldDate: "Date", api.FieldText: "Text", api.FieldName: "Name"}

// byToken admits a signer by the link in their email.
func (w *Web) byToken(next func(http.ResponseWriter, *http.Request, esign.Signing, string)) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		s, err := w.packets.ByToken(r.Context(), auth.HashToken(token))
		if errors.Is(err, db.ErrNotFound) {
			if w.unknownLink(r) {
				w.render(rw, r, http.StatusTooManyRequests, "message", page{Title: "Too many tries",
					Error: "Too many links that do not work were tried from your network. Wait a few minutes and open the link from your email again."})
				return
			}
			w.render(rw, r, http.StatusNotFound, "message", page{Title: "This link does not work",
				Error: "This signing link is not valid. Open the newest email from your accountant, or ask them to send the request again."})
			return
		}
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		next(rw, r, s, "/sign/"+token)
	}
}

// forUser admits a signed-in portal user to a packet they are a signer of.
func (w *Web) forUser(next func(http.ResponseWriter, *http.Request, esign.Signing, string)) http.HandlerFunc {
	return w.signedIn(func(rw http.ResponseWriter, r *http.Request, sess db.Session) {
		id := r.PathValue("id")
		s, err := w.packets.ForUser(r.Context(), sess.User, id)
		if errors.Is(err, db.ErrNotFound) {
			w.notFound(rw, r, &sess.User)
			return
		}
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		next(rw, r.WithContext(context.WithValue(r.Context(), userKey{}, &sess.User)), s, "/packets/"+id+"/sign")
	})
}

type userKey struct{}

func userOf(r *http.Request) *db.User {
	u, _ := r.Context().Value(userKey{}).(*db.User)
	return u
}

func (w *Web) signPage(rw http.ResponseWriter, r *http.Request, s esign.Signing, base string) {
	if s.Open() {
		if err := w.packets.Viewed(r.Context(), s, event(r, esign.EventViewed, "")); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	w.showSign(rw, r, s, base, http.StatusOK, "", "")
}

func (w *Web) showSign(rw http.ResponseWriter, r *http.Request, s esign.Signing, base string, status int, problem, adopted string) {
	today := w.Now().UTC().Format("January 2, 2006")
	data := signPage{Signing: s, Base: base, Today: today, Adopted: adopted}
	data.Signed = s.SignerState == api.SignerSigned
	switch {
	case s.State == api.PacketCompleted:
		data.Done = true
		data.Problem = "Everyone has signed. The signed document is ready."
	case s.State == db.PacketSealing:
		data.Sealing = true
		data.Problem = "Everyone has signed. The signed document is being sealed: it appears here in a moment, and you will get it by email too."
	case s.State == api.PacketVoided:
		data.Problem = s.FirmName + " withdrew this request" + reasonSuffix(s.Reason) + ". There is nothing to sign."
	case s.State == api.PacketDeclined:
		data.Problem = "This request was declined" + reasonSuffix(s.Reason) + ". There is nothing to sign."
	case s.State == api.PacketExpired:
		data.Problem = "This request expired on its due date. Ask " + s.FirmName + " to send it again."
	case data.Signed:
		data.Problem = "You have signed. " + s.FirmName + " will have the signed document when everyone has signed."
	case s.WaitingFor != "":
		data.Problem = s.WaitingFor + " signs first. You will get an email when it is your turn."
	}
	type box struct {
		Page int     `json:"page"`
		X    float64 `json:"x"`
		Y    float64 `json:"y"`
		W    float64 `json:"w"`
		H    float64 `json:"h"`
		L    string  `json:"label"`
	}
	var boxes []box
	for _, f := range s.Mine() {
		sf := signField{Field: f, Page: f.Box.Page + 1, Label: fieldLabels[f.Type]}
		if f.Type == api.FieldText {
			sf.Value = r.PostFormValue("text_" + f.ID)
		}
		data.Fields = append(data.Fields, sf)
		boxes = append(boxes, box{f.Box.Page, f.Box.X, f.Box.Y, f.Box.W, f.Box.H, sf.Label})
	}
	js, _ := json.Marshal(boxes)
	data.FieldsJS = string(js)
	data.Initials = initials(s.Signer.Name)
	if problem != "" {
		data.Problem = ""
	}
	w.render(rw, r, status, "sign", page{Title: "Sign “" + s.Packet.Title + "”", Firm: s.FirmName, User: userOf(r),
		Tab: "to-dos", Error: problem, Data: data})
}

func reasonSuffix(reason string) string {
	if strings.TrimSpace(reason) == "" {
		return ""
	}
	return ": “" + reason + "”"
}

func initials(name string) string {
	var b strings.Builder
	for _, part := range strings.Fields(name) {
		r, _ := utf8.DecodeRuneInString(part)
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

// sign takes the signer's consent and values. Every value is checked here; the PDF is
// stamped by the portal later, never taken from the browser.
func (w *Web) sign(rw http.ResponseWriter, r *http.Request, s esign.Signing, base string) {
	if err := r.ParseForm(); err != nil {
		w.showSign(rw, r, s, base, http.StatusRequestEntityTooLarge, "What you sent is too large. Draw a smaller signature or type it.", "")
		return
	}
	if !s.Open() {
		w.showSign(rw, r, s, base, http.StatusConflict, "", "")
		return
	}
	adopted := strings.Join(strings.Fields(r.PostFormValue("name")), " ")
	problem := func(msg string) {
		w.showSign(rw, r, s, base, http.StatusUnprocessableEntity, msg, adopted)
	}
	switch {
	case r.PostFormValue("consent") != "yes":
		problem("To sign electronically, tick the box to agree to use electronic records and signatures.")
		return
	case adopted == "":
		problem("Type your full name: it is the name you sign with.")
		return
	case utf8.RuneCountInString(adopted) > 100:
		problem("Your name is too long (at most 100 characters).")
		return
	}
	drawn, err := drawing(r.PostFormValue("signature_png"))
	if err != nil {
		problem("The drawn signature could not be read: " + err.Error() + ". Draw it again or type it.")
		return
	}
	drawnInitials, err := drawing(r.PostFormValue("initials_png"))
	if err != nil {
		problem("The drawn initials could not be read: " + err.Error() + ". Draw them again or type them.")
		return
	}
	typedInitials := strings.TrimSpace(r.PostFormValue("initials"))
	if typedInitials == "" {
		typedInitials = initials(adopted)
	}
	if utf8.RuneCountInString(typedInitials) > 10 {
		problem("Initials are at most 10 characters.")
		return
	}
	today := w.Now().In(signerZone(r.PostFormValue("tz"))).Format("January 2, 2006")
	vals := map[string]db.SignValue{}
	for _, f := range s.Mine() {
		var v db.SignValue
		switch f.Type {
		case api.FieldSignature:
			v = db.SignValue{Text: adopted, Image: drawn}
		case api.FieldInitials:
			v = db.SignValue{Text: typedInitials, Image: drawnInitials}
		case api.FieldDate:
			v.Text = today
		case api.FieldName:
			v.Text = adopted
		case api.FieldText:
			v.Text = strings.TrimSpace(r.PostFormValue("text_" + f.ID))
			if v.Text == "" {
				problem("Fill in the text field on page " + strconv.Itoa(f.Box.Page+1) + ".")
				return
			}
			if utf8.RuneCountInString(v.Text) > maxTextValue {
				problem("A text field holds at most 500 characters.")
				return
			}
		}
		vals[f.ID] = v
	}
	done, err := w.packets.Sign(r.Context(), s, adopted, vals, event(r, esign.EventSigned, ""))
	switch {
	case errors.Is(err, esign.ErrAlreadySigned), errors.Is(err, esign.ErrPacketEnded), errors.Is(err, esign.ErrNotYourTurn):
		problem(strings.ToUpper(err.Error()[:1]) + err.Error()[1:] + ".")
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	if done && w.Sealing != nil {
		w.Sealing.Kick()
	}
	http.Redirect(rw, r, base+"?signed=1", http.StatusSeeOther)
}

// signerZone is the signer's time zone as their browser named it (the page's script sends
// it), so a date field shows the signer's day; UTC when unknown.
func signerZone(name string) *time.Location {
	if name == "" || len(name) > 64 {
		return time.UTC
	}
	loc, err := time.LoadLocation(name) // refuses paths: "..", a leading "/"
	if err != nil {
		return time.UTC
	}
	return loc
}

// drawing checks a drawn signature: a PNG data URL of sensible size, or nothing.
func drawing(dataURL string) ([]byte, error) {
	if dataURL == "" {
		return nil, nil
	}
	b64, ok := strings.CutPrefix(dataURL, "data:image/png;base64,")
	if !ok {
		return nil, errors.New("it is not a PNG image")
	}
	if len(b64) > maxDrawing*4/3+4 {
		return nil, errors.New("it is too large")
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, errors.New("it is damaged")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width < 10 || cfg.Height < 5 || cfg.Width > 2000 || cfg.Height > 1000 {
		return nil, errors.New("it is not a signature-sized image")
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return nil, errors.New("it is damaged")
	}
	return data, nil
}

func (w *Web) decline(rw http.ResponseWriter, r *http.Request, s esign.Signing, base string) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	switch {
	case reason == "":
		w.showSign(rw, r, s, base, http.StatusUnprocessableEntity, "Say why you decline, so "+s.FirmName+" can follow up.", "")
		return
	case utf8.RuneCountInString(reason) > 500:
		w.showSign(rw, r, s, base, http.StatusUnprocessableEntity, "The reason is too long (at most 500 characters).", "")
		return
	}
	err := w.packets.Decline(r.Context(), s, reason, event(r, esign.EventDeclined, reason))
	if errors.Is(err, esign.ErrPacketEnded) || errors.Is(err, esign.ErrAlreadySigned) {
		w.showSign(rw, r, s, base, http.StatusConflict, "This request can no longer be declined: "+err.Error()+".", "")
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, base, http.StatusSeeOther)
}

// document serves the original PDF to the signing page's viewer, while it can be signed.
func (w *Web) document(rw http.ResponseWriter, r *http.Request, s esign.Signing, base string) {
	if s.State != api.PacketSent {
		http.NotFound(rw, r)
		return
	}
	w.servePDF(rw, r, s.Packet.SHA256, s.Packet.Title, "inline")
}

// signedPDF serves the sealed document of a completed packet to its signers: the sealed
// bytes themselves, whatever staff later do with the file in the client's folder.
// sealReady answers the waiting page's script: 204 once the signed document can be
// downloaded, 202 while it is being sealed, 205 (reload) when it will not be.
func (w *Web) sealReady(rw http.ResponseWriter, r *http.Request, s esign.Signing, base string) {
	rw.Header().Set("Cache-Control", "no-store")
	switch {
	case s.State == api.PacketCompleted && s.SignedSHA256 != "":
		rw.WriteHeader(http.StatusNoContent)
	case s.State == db.PacketSealing:
		rw.WriteHeader(http.StatusAccepted)
	default: // voided meanwhile, or the seal was given up: the page says what now
		rw.WriteHeader(http.StatusResetContent)
	}
}

func (w *Web) signedPDF(rw http.ResponseWriter, r *http.Request, s esign.Signing, base string) {
	if s.State != api.PacketCompleted || s.SignedSHA256 == "" {
		http.NotFound(rw, r)
		return
	}
	w.servePDF(rw, r, s.SignedSHA256, sealing.SignedName(s.Packet.Title), "attachment")
}

func (w *Web) servePDF(rw http.ResponseWriter, r *http.Request, sha, name, disposition string) {
	blob, err := w.Blobs.Open(sha)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	defer blob.Close()
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	h := rw.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	http.ServeContent(rw, r, "", time.Time{}, blob)
}

// signMail composes the email asking a signer to sign (or reminding them).
func (w *Web) signMail(m esign.SignMail) mail.Message {
	link := w.BaseURL + "/sign/" + m.Token
	subject := strings.TrimSpace(m.Subject)
	if subject == "" {
		subject = "Please sign: " + m.Title
	}
	if m.Reminder {
		subject = "Reminder: " + subject
	}
	text := strings.TrimSpace(m.Message)
	if text == "" {
		text = m.FirmName + " asks you to sign “" + m.Title + "”."
	}
	action := "Review and sign"
	if m.Completed {
		subject = "Signed: " + m.Title
		// "the seal of X", not "X's seal": firm names end in anything ("Harbor & Finch CPAs's").
		text = "Everyone has signed “" + m.Title + "”. The signed document, with its audit trail and the digital seal of " +
			m.FirmName + ", is ready for you to download and keep."
		action, m.Due = "Download the signed copy", ""
	}
	due := ""
	if m.Due != "" {
		if t, err := time.Parse(time.DateOnly, m.Due); err == nil {
			due = t.Format("January 2, 2006")
		}
	}
	data := struct {
		Text, Link, Firm, Action, Due string
		Reminder, Completed           bool
	}{text, link, m.FirmName, action, due, m.Reminder, m.Completed}
	msg, err := w.composeMail(m.FirmName, m.Signer.Name, m.Signer.Email, subject, "sign", data)
	if err != nil {
		w.Log.Error("signing mail", "err", err)
		return mail.Message{FromName: m.FirmName, ToName: m.Signer.Name, ToAddr: m.Signer.Email, Subject: subject,
			Text: text + "\n\n" + link}
	}
	return msg
}

// verifyPage lets anyone check a PDF sealed by this portal.
func (w *Web) verifyPage(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, "verify", page{Title: "Check a signed document"})
}

type verifyResult struct {
	Name    string
	Intact  bool
	Firm    string
	Signer  string
	When    string
	Problem string
}

func (w *Web) verify(rw http.ResponseWriter, r *http.Request) {
	if w.Sealing == nil {
		http.NotFound(rw, r)
		return
	}
	refuse := func(status int, why string) {
		w.render(rw, r, status, "verify", page{Title: "Check a signed document", Error: why})
	}
	// Everything that can refuse a check does so before the body is read: a visitor's
	// documents cost memory only once they are on disk.
	if key := limitKey(r); key != "" {
		if ok, _ := w.verifies.Allow(key); !ok {
			refuse(http.StatusTooManyRequests, "Too many documents were checked from your network. Wait a few minutes and try again.")
			return
		}
		w.verifies.Fail(key) // every check counts
	}
	const tooLarge = "Choose a PDF file (at most 50 MB) to check."
	if r.ContentLength > formLimit(r.URL.Path) {
		refuse(http.StatusRequestEntityTooLarge, tooLarge)
		return
	}
	select {
	case w.receiving <- struct{}{}:
		defer func() { <-w.receiving }()
	default:
		refuse(http.StatusServiceUnavailable, "Many documents are being checked right now. Try again in a minute.")
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, formLimit(r.URL.Path))
	file, name, err := w.receiveVerify(r)
	if err != nil {
		var ue uploadError
		if !errors.As(err, &ue) {
			w.Log.Error("verify: receive", "err", err)
			ue = "The document could not be received. Try again."
		}
		refuse(http.StatusUnprocessableEntity, string(ue))
		return
	}
	defer os.Remove(file.Name())
	defer file.Close()
	wait := time.NewTimer(VerifyWait)
	defer wait.Stop()
	select {
	case w.verifying <- struct{}{}:
		defer func() { <-w.verifying }()
	case <-wait.C:
		refuse(http.StatusServiceUnavailable, "Many documents are being checked right now. Try again in a minute.")
		return
	case <-r.Context().Done():
		return
	}
	res := verifyResult{Name: name}
	v, err := w.Sealing.Verify(r.Context(), file)
	switch {
	case err != nil:
		res.Problem = "This file could not be checked: " + err.Error()
	case !v.Intact:
		res.Problem = "This document is not intact: " + v.Reason
	case v.Firm == "":
		res.Problem = "The document's signature is intact, but it was not sealed by a firm on this portal."
	default:
		res.Intact, res.Firm = true, v.Firm
		if v.Signer != nil {
			res.Signer = v.Signer.Subject.CommonName
		}
		if !v.SignedAt.IsZero() {
			res.When = v.SignedAt.UTC().Format("January 2, 2006 15:04 MST")
		}
	}
	w.render(rw, r, http.StatusOK, "verify", page{Title: "Check a signed document", Data: res})
}

// receiveVerify streams the document to check into a temporary file: the CSRF token must
// be the form's first part (the middleware leaves multipart bodies to us) and nothing past
// maxVerify is read.
func (w *Web) receiveVerify(r *http.Request) (*os.File, string, error) {
	const expired = uploadError("This form had expired or did not come from this site. Reload the page and send it again.")
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, "", expired
	}
	part, err := mr.NextPart()
	if err != nil || !w.csrfPart(r, part) {
		return nil, "", expired
	}
	for {
		if part, err = mr.NextPart(); err != nil {
			return nil, "", uploadError("Choose a PDF file (at most 50 MB) to check.")
		}
		if part.FormName() == "file" && part.FileName() != "" {
			break
		}
	}
	f, err := os.CreateTemp("", "portald-verify-*.pdf")
	if err != nil {
		return nil, "", err
	}
	n, err := io.Copy(f, readOnly{io.LimitReader(part, maxVerify+1)})
	var re readError
	var tooBig *http.MaxBytesError
	switch {
	case err == nil && n > maxVerify, errors.As(err, &tooBig):
		err = uploadError("Choose a PDF file (at most 50 MB) to check.")
	case errors.As(err, &re):
		err = uploadError("The document was cut off on the way. Try again.")
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, "", err
	}
	return f, api.SafeName(part.FileName()), nil
}

// readOnly marks the errors of reading the visitor's upload, so that a failure to write
// it to the temporary file (the server's disk) is not blamed on them.
type readOnly struct{ r io.Reader }

type readError struct{ error }

func (r readOnly) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = readError{err}
	}
	return n, err
}

func (e readError) Unwrap() error { return e.error }
