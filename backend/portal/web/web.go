// Package web is what a firm's clients see: server-rendered pages for accepting an
// invitation, signing in with a second factor, and their settings. Pages work without
// JavaScript, under a strict Content-Security-Policy.
package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	texttemplate "text/template"
	"time"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/blobs"
	"portico/backend/portal/db"
	"portico/backend/portal/esign"
	"portico/backend/portal/invites"
	"portico/backend/portal/mail"
	"portico/backend/portal/ratelimit"
	"portico/backend/portal/sms"
)

//go:embed templates/*.html templates/mail/*
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// TermsVersion is the version of the Terms of Service in templates/terms.html; acceptance
// records it.
const TermsVersion = "2026-11-01"

// Durations a client notices.
var (
	SessionLife  = 30 * 24 * time.Hour // authenticate again after this, per device
	PendingLife  = 15 * time.Minute    // from password to second factor
	CodeLife     = 10 * time.Minute
	ResetLife    = time.Hour
	LockWindow   = 15 * time.Minute
	SignInTries  = 5                // per email within LockWindow
	AddressTries = 20               // per address within LockWindow
	LinkTries    = 20               // unknown links per address within LockWindow
	CodeSends    = 5                // codes sent per user within LockWindow
	VerifyTries  = 30               // documents checked per address within LockWindow
	VerifyWait   = 10 * time.Second // for one of the two checks running, before "busy"
)

// Config is what the pages need.
type Config struct {
	DB      *db.DB
	Log     *slog.Logger
	BaseURL string     // public URL; https means Secure cookies
	SMS     sms.Sender // nil: text messages are not offered
	Sealer  *auth.Sealer
	Now     func() time.Time
	// Blobs holds file contents; MaxFileSize bounds a client's upload (0: api.MaxFileSize).
	Blobs       *blobs.Store
	MaxFileSize int64
	// Sealing finishes signed packets and checks sealed PDFs; nil: no eSignature.
	Sealing Sealing
}

type Web struct {
	Config
	secure   bool
	pages    map[string]*template.Template
	mailHTML *template.Template
	mailText *texttemplate.Template

	byEmail, byIP, links, codeSends, resetSends, totpFails, verifies *ratelimit.Limiter
	packets                                                          esign.Packets
	invites                                                          invites.Invitations
	receiving                                                        chan struct{} // documents to check arriving now
	verifying                                                        chan struct{} // checks of a PDF running now
}

func New(cfg Config) (*Web, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	w := &Web{Config: cfg, secure: strings.HasPrefix(cfg.BaseURL, "https://"), pages: map[string]*template.Template{},
		byEmail: ratelimit.New(SignInTries, LockWindow), byIP: ratelimit.New(AddressTries, LockWindow),
		links: ratelimit.New(LinkTries, LockWindow), codeSends: ratelimit.New(CodeSends, LockWindow),
		resetSends: ratelimit.New(CodeSends, LockWindow),
		totpFails:  ratelimit.New(db.MaxCodeAttempts, LockWindow), verifies: ratelimit.New(VerifyTries, LockWindow),
		packets: esign.Packets{DB: cfg.DB}, invites: invites.Invitations{DB: cfg.DB},
		receiving: make(chan struct{}, 8), verifying: make(chan struct{}, 2)}
	for _, l := range []*ratelimit.Limiter{w.byEmail, w.byIP, w.links, w.codeSends, w.resetSends, w.totpFails, w.verifies} {
		l.Now = cfg.Now
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" || base == "parts" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts.html", name)
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", base, err)
		}
		w.pages[base] = t
	}
	// Plain-text parts go through text/template: html/template would escape "&" in a name.
	if w.mailHTML, err = template.New("mail").Funcs(funcs).ParseFS(templateFS, "templates/mail/*.html"); err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	if w.mailText, err = texttemplate.New("mail").ParseFS(templateFS, "templates/mail/*.txt"); err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	return w, nil
}

var funcs = template.FuncMap{
	"date":   func(t time.Time) string { return t.Format("January 2, 2006") },
	"day":    day,
	"money":  money,
	"blocks": blocks,
	"mul":    func(a, b int64) int64 { return a * b },
	"size":   size,
	"todoLine": func(t db.Todo, today string) todoLine {
		return todoLine{Todo: t, Overdue: t.Due != "" && t.Due < today, ShowClient: true}
	},
}

// todoLine is a to-do as one line shows it.
type todoLine struct {
	Todo       db.Todo
	Overdue    bool
	ShowClient bool
}

// block is a paragraph of a plain-text mail, or the link line that becomes a button.
type block struct {
	Text   string
	IsLink bool
}

func blocks(text, link string) []block {
	var out []block
	var para []string
	flush := func() {
		if len(para) > 0 {
			out = append(out, block{Text: strings.Join(para, "\n")})
			para = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case strings.TrimSpace(line) == link:
			flush()
			out = append(out, block{Text: link, IsLink: true})
		default:
			para = append(para, line)
		}
	}
	flush()
	return out
}

// Handler serves every client page. CSRF is checked twice over: the browser must say the
// request is same-origin (Sec-Fetch-Site / Origin, Go's CrossOriginProtection), and every
// form carries a token that matches its cookie.
func (w *Web) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /assets/", http.FileServerFS(assetFS))
	mux.HandleFunc("GET /{$}", w.root)
	mux.HandleFunc("GET /terms", w.static("terms", "Terms of Service"))
	mux.HandleFunc("GET /help", w.help)

	mux.HandleFunc("GET /invite/{token}", w.invitePage)
	mux.HandleFunc("POST /invite/{token}", w.acceptInvite)
	mux.HandleFunc("POST /invite/{token}/new-link", w.askNewLink)

	mux.HandleFunc("GET /signin", w.signInPage)
	mux.HandleFunc("POST /signin", w.signIn)
	mux.HandleFunc("GET /signin/code", w.pending(w.codePage))
	mux.HandleFunc("POST /signin/code", w.pending(w.checkSignInCode))
	mux.HandleFunc("POST /signin/code/resend", w.pending(w.resendCode))
	mux.HandleFunc("POST /signout", w.signOut)

	mux.HandleFunc("GET /reset", w.resetRequestPage)
	mux.HandleFunc("POST /reset", w.requestReset)
	mux.HandleFunc("GET /reset/{token}", w.resetPage)
	mux.HandleFunc("POST /reset/{token}", w.reset)

	mux.HandleFunc("GET /home", w.signedIn(w.home))
	mux.HandleFunc("GET /todos", w.signedIn(w.todos))
	mux.HandleFunc("POST /todos/{id}/done", w.signedIn(w.completeTodo))
	mux.HandleFunc("GET /files", w.signedIn(w.files))
	mux.HandleFunc("GET /files/{id}/download", w.signedIn(w.download))
	mux.HandleFunc("POST /files/upload", w.signedIn(w.upload))
	mux.HandleFunc("GET /billing", w.signedIn(w.billing))
	mux.HandleFunc("GET /billing/invoices/{id}", w.signedIn(w.invoice))
	mux.HandleFunc("GET /schedule", w.signedIn(w.schedulePage))
	mux.HandleFunc("POST /schedule/book", w.signedIn(w.book))
	mux.HandleFunc("POST /schedule/{id}/cancel", w.signedIn(w.cancelBooking))
	mux.HandleFunc("GET /sign/{token}", w.byToken(w.signPage))
	mux.HandleFunc("POST /sign/{token}", w.byToken(w.sign))
	mux.HandleFunc("POST /sign/{token}/decline", w.byToken(w.decline))
	mux.HandleFunc("GET /sign/{token}/document.pdf", w.byToken(w.document))
	mux.HandleFunc("GET /sign/{token}/signed.pdf", w.byToken(w.signedPDF))
	mux.HandleFunc("GET /sign/{token}/ready", w.byToken(w.sealReady))
	mux.HandleFunc("GET /packets/{id}/sign", w.forUser(w.signPage))
	mux.HandleFunc("POST /packets/{id}/sign", w.forUser(w.sign))
	mux.HandleFunc("POST /packets/{id}/sign/decline", w.forUser(w.decline))
	mux.HandleFunc("GET /packets/{id}/sign/document.pdf", w.forUser(w.document))
	mux.HandleFunc("GET /packets/{id}/sign/signed.pdf", w.forUser(w.signedPDF))
	mux.HandleFunc("GET /packets/{id}/sign/ready", w.forUser(w.sealReady))
	mux.HandleFunc("GET /verify", w.verifyPage)
	mux.HandleFunc("POST /verify", w.verify)
	mux.HandleFunc("GET /settings", w.signedIn(w.settings))
	mux.HandleFunc("POST /settings/name", w.signedIn(w.changeName))
	mux.HandleFunc("POST /settings/password", w.signedIn(w.changePassword))
	mux.HandleFunc("POST /settings/second-factor/email", w.signedIn(w.useEmailCodes))
	mux.HandleFunc("GET /settings/second-factor/sms", w.signedIn(w.smsPage))
	mux.HandleFunc("POST /settings/second-factor/sms", w.signedIn(w.smsSendCode))
	mux.HandleFunc("POST /settings/second-factor/sms/verify", w.signedIn(w.smsVerify))
	mux.HandleFunc("GET /settings/second-factor/totp", w.signedIn(w.totpPage))
	mux.HandleFunc("POST /settings/second-factor/totp", w.signedIn(w.totpConfirm))
	mux.HandleFunc("POST /settings/signout-everywhere", w.signedIn(w.signOutEverywhere))
	return http.NewCrossOriginProtection().Handler(w.headers(w.csrf(mux)))
}

const csp = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

func (w *Web) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		h := rw.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("Cache-Control", "no-store")
		if w.secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(rw, r)
	})
}

// Cookie names; __Host- pins a cookie to this origin over TLS.
func (w *Web) cookieName(base string) string {
	if w.secure {
		return "__Host-" + base
	}
	return base
}

func (w *Web) setCookie(rw http.ResponseWriter, name, value string, maxAge time.Duration) {
	http.SetCookie(rw, &http.Cookie{Name: w.cookieName(name), Value: value, Path: "/", HttpOnly: true,
		Secure: w.secure, SameSite: http.SameSiteLaxMode, MaxAge: int(maxAge / time.Second)})
}

type csrfKey struct{}

// csrf gives every visitor a random token cookie and refuses a form whose token differs.
func (w *Web) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		token := ""
		if c, err := r.Cookie(w.cookieName("portico_csrf")); err == nil && len(c.Value) == 43 {
			token = c.Value
		} else {
			token, _ = auth.NewToken()
			w.setCookie(rw, "portico_csrf", token, 0)
		}
		if r.Method == http.MethodPost && (uploadPath(r.URL.Path) || r.URL.Path == "/verify") && isMultipart(r) {
			// The handler reads the token as the body's first part: parsing the form here
			// would buffer the files.
			next.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), csrfKey{}, token)))
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(rw, r.Body, formLimit(r.URL.Path))
			sent := r.PostFormValue("csrf")
			if subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
				w.render(rw, r.WithContext(context.WithValue(r.Context(), csrfKey{}, token)), http.StatusForbidden, "message", page{
					Title: "Please try again", Error: "This form had expired or did not come from this site. Go back, reload the page and send it again."})
				return
			}
		}
		next.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), csrfKey{}, token)))
	})
}

// formLimit bounds a form post: drawn signatures and documents to check are larger than
// the rest.
func formLimit(path string) int64 {
	switch {
	case path == "/verify":
		return maxVerify + 1<<20
	case strings.HasPrefix(path, "/sign/") || strings.HasPrefix(path, "/packets/"):
		return 2 << 20
	}
	return 64 << 10
}

// uploadPath tells the form posts that may carry files.
func uploadPath(p string) bool {
	return p == "/files/upload" || strings.HasPrefix(p, "/todos/") && strings.HasSuffix(p, "/done")
}

func isMultipart(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "multipart/form-data"
}

// action is a link a message page offers as the way on.
type action struct{ Href, Label string }

// page is what every template gets.
type page struct {
	Title  string
	CSRF   string
	User   *db.User // signed in: shows the navigation
	Tab    string   // the navigation item to mark current
	Billed bool     // the user's clients have invoices or payments: show Billing
	Booked bool     // the firm takes bookings: show Schedule
	Firm   string
	Error  string
	Notice string
	Data   any
}

// tabs is the navigation item each page belongs to.
var tabs = map[string]string{"home": "home", "todos": "to-dos", "sign": "to-dos", "files": "files",
	"billing": "billing", "invoice": "billing", "schedule": "schedule", "settings": "settings", "help": "help"}

func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t, ok := w.pages[name]
	if !ok {
		w.fail(rw, r, fmt.Errorf("no page %q", name))
		return
	}
	p.CSRF, _ = r.Context().Value(csrfKey{}).(string)
	if p.User != nil {
		if p.Firm == "" {
			p.Firm = p.User.FirmName
		}
		if p.Tab == "" {
			p.Tab = tabs[name]
		}
		p.Billed, _ = w.DB.HasBilling(r.Context(), *p.User)
		if sch, err := w.DB.Schedule(r.Context(), p.User.FirmID); err == nil {
			p.Booked = sch.Enabled
		}
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		w.Log.Error("render", "page", name, "err", err)
		http.Error(rw, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.WriteHeader(status)
	rw.Write(buf.Bytes())
}

func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	w.Log.Error("portal page", "path", r.URL.Path, "err", err)
	if errors.Is(err, context.Canceled) {
		return
	}
	w.render(rw, r, http.StatusInternalServerError, "message", page{Title: "Something went wrong",
		Error: "Something went wrong on our side and nothing was changed. Please try again in a moment."})
}

func (w *Web) static(name, title string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		s, _ := w.session(r)
		var u *db.User
		if s.Authenticated {
			u = &s.User
		}
		w.render(rw, r, http.StatusOK, name, page{Title: title, User: u, Data: TermsVersion})
	}
}

type helpData struct {
	Links []api.HelpLink
}

// help is the firm's own links (for a signed-in client) above the portal's built-in help.
func (w *Web) help(rw http.ResponseWriter, r *http.Request) {
	p := page{Title: "Help"}
	if s, err := w.session(r); err == nil && s.Authenticated {
		p.User = &s.User
		h, err := w.DB.Help(r.Context(), s.User.FirmID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		p.Data = helpData{Links: h.Links}
	}
	w.render(rw, r, http.StatusOK, "help", p)
}

func (w *Web) root(rw http.ResponseWriter, r *http.Request) {
	if s, err := w.session(r); err == nil && s.Authenticated {
		http.Redirect(rw, r, "/home", http.StatusSeeOther)
		return
	}
	http.Redirect(rw, r, "/signin", http.StatusSeeOther)
}

// randomText is for values nobody types.
func randomText() string { return rand.Text() }

// queueMail composes a mail from templates/mail/NAME.txt and NAME.html and queues it.
func (w *Web) queueMail(ctx context.Context, firmID, firmName string, to db.User, subject, name string, data any) error {
	msg, err := w.composeMail(firmName, to.Name, to.Email, subject, name, data)
	if err != nil {
		return err
	}
	_, err = w.DB.EnqueueMail(ctx, firmID, msg)
	return err
}

func (w *Web) composeMail(firmName, toName, toAddr, subject, name string, data any) (mail.Message, error) {
	var text, html bytes.Buffer
	if err := w.mailText.ExecuteTemplate(&text, name+".txt", data); err != nil {
		return mail.Message{}, err
	}
	if err := w.mailHTML.ExecuteTemplate(&html, name+".html", data); err != nil {
		return mail.Message{}, err
	}
	return mail.Message{FromName: firmName, ToName: toName, ToAddr: toAddr, Subject: subject,
		Text: text.String(), HTML: html.String()}, nil
}
