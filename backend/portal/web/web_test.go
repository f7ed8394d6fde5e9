package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/oklog/ulid/v2"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/blobs"
	"portico/backend/portal/db"
	"portico/backend/portal/mail"
	"portico/backend/portal/server"
	"portico/backend/portal/sms"
)

// clock is the fixture's time; every part of the portal reads it.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// texts is a Twilio-style SMS API on loopback that records what the portal sent through the
// real adapter.
type texts struct {
	mu   sync.Mutex
	sent []string // "to: body"
}

func (s *texts) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if u, p, ok := r.BasicAuth(); !ok || u != "ACtest" || p != "token" || r.URL.Path != "/2010-04-01/Accounts/ACtest/Messages.json" {
		http.Error(w, `{"code":20003,"message":"Authenticate"}`, http.StatusUnauthorized)
		return
	}
	r.ParseForm()
	s.mu.Lock()
	s.sent = append(s.sent, r.PostForm.Get("To")+": "+r.PostForm.Get("Body"))
	s.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	w.Write([]byte(`{"sid":"SM1","status":"queued"}`))
}

func (s *texts) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sent) == 0 {
		return ""
	}
	return s.sent[len(s.sent)-1]
}

type portal struct {
	t     *testing.T
	db    *db.DB
	srv   *httptest.Server
	clock *clock
	texts *texts
	token string // the staff desktop's
	blobs *blobs.Store
	web   *Web
}

func newPortal(t *testing.T) *portal {
	t.Helper()
	auth.ArgonMemory, auth.ArgonTime = 1024, 1
	ctx := context.Background()
	d, err := db.OpenSQLite(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	c := &clock{now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	d.Now = c.Now
	hash, _ := auth.HashPassword("staff-password-1")
	if _, _, err := d.CreateFirm(ctx, "Alpha CPA", api.Staff{Name: "Sam", Email: "sam@alpha.test"}, hash); err != nil {
		t.Fatal(err)
	}
	sealer, _ := auth.NewSealer(bytes.Repeat([]byte{7}, 32))
	p := &portal{t: t, db: d, clock: c, texts: &texts{}}
	smsAPI := httptest.NewServer(p.texts)
	t.Cleanup(smsAPI.Close)
	twilio := &sms.Twilio{BaseURL: smsAPI.URL, AccountSID: "ACtest", AuthToken: "token", From: "+15550000000"}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(d, log)
	store, err := blobs.Open(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	srv.Blobs, srv.MaxFileSize = store, 1<<20
	p.srv = httptest.NewUnstartedServer(nil)
	w, err := New(Config{DB: d, Log: log, BaseURL: "http://" + p.srv.Listener.Addr().String(), SMS: twilio, Sealer: sealer, Now: c.Now,
		Blobs: store, MaxFileSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	p.blobs, p.web = store, w
	srv.Pages = w.Handler()
	p.srv.Config.Handler = srv.Handler()
	p.srv.Start()
	t.Cleanup(p.srv.Close)

	var signIn api.SignInResponse
	p.api("POST", api.PathDevices, api.SignInRequest{Email: "sam@alpha.test", Password: "staff-password-1"}, &signIn)
	p.token = signIn.Token
	return p
}

func (p *portal) api(method, path string, body, out any) {
	p.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, p.srv.URL+path, bytes.NewReader(b))
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(resp.Body)
		p.t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, msg)
	}
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
}

// push sends staff ops and returns their results.
func (p *portal) push(ops ...api.Op) []api.OpResult {
	p.t.Helper()
	for i := range ops {
		ops[i].ID = ulid.Make().String()
	}
	var resp api.PushResponse
	p.api("POST", api.PathOps, api.PushRequest{Ops: ops}, &resp)
	return resp.Results
}

func op(kind, entity string, data any) api.Op {
	b, _ := json.Marshal(data)
	return api.Op{Kind: kind, EntityID: entity, Data: b}
}

// inviteClient creates client c1 (Ana and her spouse Luis) and invites both.
func (p *portal) inviteClient() {
	p.t.Helper()
	res := p.push(
		op(api.KindClientPut, "c1", api.Client{Name: "Ana & Luis Pérez", People: []api.Person{
			{ID: "p1", Role: api.RolePrimary, Name: "Ana Pérez", Email: "ana@example.com"},
			{ID: "p2", Role: api.RoleSpouse, Name: "Luis Pérez", Email: "luis@example.com"}}}),
		op(api.KindPortalInvite, "c1", api.Invite{People: []api.Invitee{
			{PersonID: "p1", Name: "Ana Pérez", Email: "ana@example.com"},
			{PersonID: "p2", Name: "Luis Pérez", Email: "luis@example.com"}}}),
	)
	for _, r := range res {
		if r.Status != api.OpApplied {
			p.t.Fatalf("op %+v", r)
		}
	}
}

// dueMail is the mail due by at, its notices written as the mail worker writes them.
func (p *portal) dueMail(at time.Time, limit int) ([]mail.Queued, error) {
	due, err := p.db.DueMail(context.Background(), at, limit)
	for i, m := range due {
		if err == nil && m.Kind != "" {
			due[i].Message, err = p.web.Compose(m.Kind, m.Data)
		}
	}
	return due, err
}

// mail takes the newest queued message to addr and marks those to addr sent.
func (p *portal) mail(addr string) (subject, text, html string) {
	p.t.Helper()
	due, err := p.dueMail(p.clock.Now().Add(time.Hour), 1000)
	if err != nil {
		p.t.Fatal(err)
	}
	for _, m := range due {
		if m.Message.ToAddr == addr {
			p.db.MailSent(context.Background(), m.ID, p.clock.Now())
			subject, text, html = m.Message.Subject, m.Message.Text, m.Message.HTML
		}
	}
	if subject == "" {
		p.t.Fatalf("no mail to %s", addr)
	}
	return subject, text, html
}

var linkRE = regexp.MustCompile(`http://[^\s"<]+/(invite|reset)/[A-Za-z0-9_-]+`)
var codeRE = regexp.MustCompile(`\b\d{6}\b`)

func (p *portal) user(email string) db.User {
	us, err := p.db.ActiveUsersByEmail(context.Background(), email)
	if err != nil || len(us) != 1 {
		p.t.Fatalf("active users %s: %v %v", email, us, err)
	}
	return us[0]
}

// browser is one person's browser: a cookie jar, no redirects followed.
type browser struct {
	t    *testing.T
	p    *portal
	c    *http.Client
	last string // body of the last answer
}

func (p *portal) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: p.t, p: p, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return b.p.srv.URL + path
}

func (b *browser) do(req *http.Request) (int, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.last = string(body)
	if loc := resp.Header.Get("Location"); loc != "" {
		return resp.StatusCode, loc
	}
	return resp.StatusCode, b.last
}

func (b *browser) get(path string) (int, string) {
	req, _ := http.NewRequest("GET", b.url(path), nil)
	return b.do(req)
}

func (b *browser) csrf() string {
	u, _ := url.Parse(b.p.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "portico_csrf" {
			return c.Value
		}
	}
	b.get("/signin") // a first visit sets it
	return b.csrf()
}

// post sends a form as the page would, with its CSRF token.
func (b *browser) post(path string, form url.Values) (int, string) {
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf())
	}
	req, _ := http.NewRequest("POST", b.url(path), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func expect(t *testing.T, what string, status int, body string, wantStatus int, wantIn string) {
	t.Helper()
	if status != wantStatus || !strings.Contains(body, wantIn) {
		if len(body) > 600 {
			body = body[:600]
		}
		t.Fatalf("%s: %d %q, want %d containing %q", what, status, body, wantStatus, wantIn)
	}
}

// accept follows the invitation in the newest mail to addr and creates the account.
func (p *portal) accept(addr, password string) *browser {
	p.t.Helper()
	_, text, _ := p.mail(addr)
	link := linkRE.FindString(text)
	b := p.browser()
	st, body := b.get(link)
	expect(p.t, "invite page", st, body, 200, "Create your password")
	st, loc := b.post(link, url.Values{"password": {password}, "confirm": {password}, "terms": {TermsVersion}})
	expect(p.t, "accept", st, loc, 303, "/home")
	return b
}

func (b *browser) signIn(email, password string) {
	b.t.Helper()
	st, loc := b.post("/signin", url.Values{"email": {email}, "password": {password}})
	expect(b.t, "sign in", st, loc, 303, "/signin/code")
}

func TestInvitationAcceptance(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	subject, text, html := p.mail("ana@example.com")
	if subject != "Alpha CPA invites you to your client portal" || !strings.Contains(text, "Hello Ana Pérez") ||
		!strings.Contains(text, "Ana & Luis Pérez") || !strings.Contains(html, "Create your password") {
		t.Fatalf("invitation mail: %q\n%s\n%s", subject, text, html)
	}
	link := linkRE.FindString(text)
	if link == "" || !strings.Contains(html, link) {
		t.Fatalf("no link in the mail: %q", text)
	}
	b := p.browser()
	st, body := b.get(link)
	expect(t, "invite page", st, body, 200, "ana@example.com")

	bad := []struct {
		name              string
		password, confirm string
		terms             string
		want              string
	}{
		{"too short", "short1", "short1", TermsVersion, "at least 10 characters"},
		{"common", "password123", "password123", TermsVersion, "most common ones"},
		{"not the same", "correct horse battery", "correct horse batterx", TermsVersion, "not the same"},
		{"terms not accepted", "correct horse battery", "correct horse battery", "", "accept the Terms of Service"},
		{"old terms", "correct horse battery", "correct horse battery", "2020-01-01", "accept the Terms of Service"},
	}
	for _, tt := range bad {
		st, body := b.post(link, url.Values{"password": {tt.password}, "confirm": {tt.confirm}, "terms": {tt.terms}})
		expect(t, tt.name, st, body, http.StatusUnprocessableEntity, tt.want)
	}
	if st, loc := b.get("/home"); st != 303 || !strings.HasPrefix(loc, "/signin") {
		t.Fatalf("home before accepting: %d %s", st, loc)
	}
	st, loc := b.post(link, url.Values{"password": {"correct horse battery"}, "confirm": {"correct horse battery"}, "terms": {TermsVersion}})
	expect(t, "accept", st, loc, 303, "/home")
	st, body = b.get(loc)
	expect(t, "home", st, body, 200, "Your account is ready")

	// The link works once; a tampered one is unknown.
	st, body = p.browser().get(link)
	expect(t, "used link", st, body, http.StatusGone, "already used")
	st, body = p.browser().get(link[:len(link)-2] + "xx")
	expect(t, "tampered link", st, body, http.StatusNotFound, "not valid")

	// Consent is recorded with its version, and staff see the acceptance in the feed.
	u := p.user("ana@example.com")
	events, _ := p.db.AuditEvents(context.Background(), u.ID)
	if len(events) == 0 || events[0] != "invitation.accepted" {
		t.Fatalf("audit %v", events)
	}
	state := p.portalUser("ana@example.com")
	if state.State != api.PortalActive || state.AcceptedAt == nil || len(state.Invitations) != 1 ||
		state.Invitations[0].State != api.InvitationAccepted || len(state.ClientIDs) != 1 {
		t.Fatalf("feed state %+v", state)
	}
}

// portalUser returns the newest portal.user change for email from the staff feed.
func (p *portal) portalUser(email string) api.PortalUser {
	p.t.Helper()
	var resp api.ChangesResponse
	p.api("GET", api.PathChanges+"?after=0&limit=5000", nil, &resp)
	var found api.PortalUser
	for _, c := range resp.Changes {
		if c.Kind != api.KindPortalUser {
			continue
		}
		var u api.PortalUser
		json.Unmarshal(c.Data, &u)
		if u.Email == email {
			found = u
		}
	}
	if found.Email == "" {
		p.t.Fatalf("no portal.user change for %s", email)
	}
	return found
}

func TestExpiredLinkAndAskingForANewOne(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	_, text, _ := p.mail("luis@example.com")
	first := linkRE.FindString(text)

	// A resend makes the first link stop working.
	p.push(op(api.KindPortalInvite, "c1", api.Invite{People: []api.Invitee{{Name: "Luis Pérez", Email: "luis@example.com"}}}))
	_, text, _ = p.mail("luis@example.com")
	second := linkRE.FindString(text)
	st, body := p.browser().get(first)
	expect(t, "replaced link", st, body, http.StatusGone, "no longer works")

	p.clock.Advance(15 * 24 * time.Hour)
	b := p.browser()
	st, body = b.get(second)
	expect(t, "expired link", st, body, http.StatusGone, "has expired")
	expect(t, "ask button", st, body, http.StatusGone, "Ask Alpha CPA for a new link")
	st, body = b.post(second, url.Values{"password": {"correct horse battery"}, "confirm": {"correct horse battery"}, "terms": {TermsVersion}})
	expect(t, "accept expired", st, body, http.StatusGone, "has expired")
	st, body = b.post(second+"/new-link", nil)
	expect(t, "asked", st, body, 200, "We told Alpha CPA")
	if u := p.portalUser("luis@example.com"); u.LinkAskedAt == nil || u.State != api.PortalInvited {
		t.Fatalf("staff do not see the request: %+v", u)
	}
}

func TestCSRF(t *testing.T) {
	p := newPortal(t)
	b := p.browser()
	st, body := b.post("/signin", url.Values{"email": {"a@b.c"}, "password": {"x"}, "csrf": {"forged"}})
	expect(t, "wrong token", st, body, http.StatusForbidden, "did not come from this site")
	req, _ := http.NewRequest("POST", p.srv.URL+"/signin", strings.NewReader("csrf="+b.csrf()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	st, _ = b.do(req)
	if st != http.StatusForbidden {
		t.Fatalf("cross-site post: %d", st)
	}
	resp, err := http.Get(p.srv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("CSP %q", csp)
	}
	for _, c := range resp.Cookies() {
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Fatalf("cookie %s: HttpOnly %v SameSite %v", c.Name, c.HttpOnly, c.SameSite)
		}
	}
}

func TestSignInWithEmailCodeAndLockout(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	p.accept("ana@example.com", "correct horse battery")
	b := p.browser()

	for i := 1; i < SignInTries; i++ {
		st, body := b.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"wrong password"}})
		expect(t, fmt.Sprintf("wrong password %d", i), st, body, http.StatusUnauthorized, "do not match")
	}
	st, body := b.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"wrong password"}})
	expect(t, "locking failure", st, body, http.StatusTooManyRequests, "paused for 15 minutes")
	subject, _, _ := p.mail("ana@example.com")
	if !strings.Contains(subject, "paused") {
		t.Fatalf("lockout mail subject %q", subject)
	}
	st, body = b.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"correct horse battery"}})
	expect(t, "right password while locked", st, body, http.StatusTooManyRequests, "paused")
	events, _ := p.db.AuditEvents(context.Background(), p.user("ana@example.com").ID)
	if !contains(events, "signin.locked") {
		t.Fatalf("audit %v", events)
	}

	p.clock.Advance(LockWindow)
	b.signIn("ana@example.com", "correct horse battery")
	st, body = b.get("/signin/code")
	expect(t, "code page", st, body, 200, "emailed a 6-digit code to a")
	if st, loc := b.get("/home"); st != 303 || loc != "/signin/code" {
		t.Fatalf("home before the code: %d %s", st, loc)
	}
	_, text, _ := p.mail("ana@example.com")
	code := codeRE.FindString(text)
	wrong := fmt.Sprintf("%06d", (atoi(code)+1)%1000000)
	st, body = b.post("/signin/code", url.Values{"code": {wrong}})
	expect(t, "wrong code", st, body, http.StatusUnauthorized, "not right")
	st, loc := b.post("/signin/code", url.Values{"code": {code}})
	expect(t, "right code", st, loc, 303, "/home")
	st, _ = b.get("/home")
	if st != 200 {
		t.Fatalf("home: %d", st)
	}

	// A spent code does not work again, and five wrong codes end the attempt.
	b2 := p.browser()
	b2.signIn("ana@example.com", "correct horse battery")
	st, body = b2.post("/signin/code", url.Values{"code": {code}})
	expect(t, "spent code", st, body, http.StatusUnauthorized, "not right")
	for i := 2; i < 5; i++ {
		b2.post("/signin/code", url.Values{"code": {"000000"}})
	}
	st, body = b2.post("/signin/code", url.Values{"code": {"000000"}})
	expect(t, "fifth wrong code", st, body, http.StatusTooManyRequests, "too many wrong codes")
	if st, loc := b2.get("/signin/code"); st != 303 || !strings.HasPrefix(loc, "/signin") {
		t.Fatalf("after code lockout: %d %s", st, loc)
	}

	// Authentication is asked again after 30 days.
	p.clock.Advance(SessionLife + time.Minute)
	if st, loc := b.get("/home"); st != 303 || !strings.HasPrefix(loc, "/signin") {
		t.Fatalf("after 30 days: %d %s", st, loc)
	}
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var sealedRE = regexp.MustCompile(`name="sealed" value="([^"]+)"`)
var secretRE = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)
var recoveryRE = regexp.MustCompile(`<code>([a-z2-9]{5}-[a-z2-9]{5})</code>`)

func totpCode(t *testing.T, secret string, at time.Time) string {
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestAuthenticatorAppRecoveryCodesAndRemovedAccess(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	b := p.accept("ana@example.com", "correct horse battery")

	st, body := b.get("/settings/second-factor/totp")
	expect(t, "totp setup", st, body, 200, `src="data:image/png;base64,`)
	sealed, secret := sealedRE.FindStringSubmatch(body)[1], secretRE.FindStringSubmatch(body)[1]
	st, body = b.post("/settings/second-factor/totp", url.Values{"sealed": {sealed}, "code": {"123456"}, "password": {"correct horse battery"}})
	expect(t, "wrong first code", st, body, http.StatusUnprocessableEntity, secret) // the same secret again
	st, body = b.post("/settings/second-factor/totp", url.Values{"sealed": {sealed + "x"}, "code": {totpCode(t, secret, p.clock.Now())},
		"password": {"correct horse battery"}})
	expect(t, "tampered setup", st, body, http.StatusUnprocessableEntity, "had expired")
	st, body = b.post("/settings/second-factor/totp", url.Values{"sealed": {sealed}, "code": {totpCode(t, secret, p.clock.Now())}, "password": {"not it"}})
	expect(t, "totp without the password", st, body, http.StatusUnprocessableEntity, "current password is not right")
	st, body = b.post("/settings/second-factor/totp", url.Values{"sealed": {sealed}, "code": {totpCode(t, secret, p.clock.Now())},
		"password": {"correct horse battery"}})
	expect(t, "totp on", st, body, 200, "Your authenticator app is on")
	if subject, _, _ := p.mail("ana@example.com"); !strings.Contains(subject, "Two-step sign-in changed") {
		t.Fatalf("no notice of the change: %q", subject)
	}
	recovery := recoveryRE.FindAllStringSubmatch(body, -1)
	if len(recovery) != 10 {
		t.Fatalf("%d recovery codes shown", len(recovery))
	}
	if _, body := b.get("/settings"); recoveryRE.MatchString(body) {
		t.Fatal("recovery codes shown a second time")
	}

	// The code used to turn the app on cannot sign in; the next one can, once.
	b2 := p.browser()
	b2.signIn("ana@example.com", "correct horse battery")
	_, body = b2.get("/signin/code")
	expect(t, "code page", 200, body, 200, "authenticator app")
	st, body = b2.post("/signin/code", url.Values{"code": {totpCode(t, secret, p.clock.Now())}})
	expect(t, "replayed code", st, body, http.StatusUnauthorized, "not right")
	p.clock.Advance(30 * time.Second)
	next := totpCode(t, secret, p.clock.Now())
	st, loc := b2.post("/signin/code", url.Values{"code": {next}})
	expect(t, "next code", st, loc, 303, "/home")
	b3 := p.browser()
	b3.signIn("ana@example.com", "correct horse battery")
	st, body = b3.post("/signin/code", url.Values{"code": {next}})
	expect(t, "same code in another browser", st, body, http.StatusUnauthorized, "not right")
	rc := recovery[0][1]
	st, loc = b3.post("/signin/code", url.Values{"code": {rc}})
	expect(t, "recovery code", st, loc, 303, "/home")
	b4 := p.browser()
	b4.signIn("ana@example.com", "correct horse battery")
	st, body = b4.post("/signin/code", url.Values{"code": {rc}})
	expect(t, "spent recovery code", st, body, http.StatusUnauthorized, "not right")

	// Back to email codes: the current password again, and a notice.
	st, body = b3.post("/settings/second-factor/email", url.Values{"password": {"guess"}})
	expect(t, "email codes without the password", st, body, http.StatusUnprocessableEntity, "current password is not right")
	st, loc = b3.post("/settings/second-factor/email", url.Values{"password": {"correct horse battery"}})
	expect(t, "email codes", st, loc, 303, "done=email")
	if subject, text, _ := p.mail("ana@example.com"); !strings.Contains(subject, "Two-step sign-in changed") || !strings.Contains(text, "codes by email") {
		t.Fatalf("notice %q %q", subject, text)
	}

	// Staff remove access: every session dies at once and old links stop working.
	_, text, _ := p.mail("luis@example.com")
	luisLink := linkRE.FindString(text)
	p.push(op(api.KindPortalRevoke, "c1", api.Revoke{Email: "ana@example.com"}),
		op(api.KindPortalRevoke, "c1", api.Revoke{Email: "luis@example.com"}))
	for i, br := range []*browser{b, b2, b3} {
		if st, loc := br.get("/home"); st != 303 || !strings.HasPrefix(loc, "/signin") {
			t.Fatalf("browser %d after removal: %d %s", i, st, loc)
		}
	}
	st, body = p.browser().get(luisLink)
	expect(t, "link after removal", st, body, http.StatusGone, "no longer works")
	b5 := p.browser()
	st, body = b5.post("/signin", url.Values{"email": {"ana@example.com"}, "password": {"correct horse battery"}})
	expect(t, "sign in after removal", st, body, http.StatusUnauthorized, "do not match")
	if u := p.portalUser("ana@example.com"); u.State != api.PortalRemoved || u.RemovedAt == nil {
		t.Fatalf("feed after removal %+v", u)
	}
}

func TestTextMessagesSignOutEverywhereAndPasswordReset(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	b := p.accept("ana@example.com", "correct horse battery")
	st, body := b.post("/settings/second-factor/sms", url.Values{"phone": {"555-1234"}})
	expect(t, "no country code", st, body, http.StatusUnprocessableEntity, "country code")
	st, body = b.post("/settings/second-factor/sms", url.Values{"phone": {"+1 (555) 123-4567"}})
	expect(t, "code texted", st, body, 200, "We texted a code to &#43;15551234567")
	code := codeRE.FindString(p.texts.last())
	st, body = b.post("/settings/second-factor/sms/verify", url.Values{"code": {"000000"}, "phone": {"+15551234567"}, "password": {"correct horse battery"}})
	expect(t, "wrong phone code", st, body, http.StatusUnprocessableEntity, "not right")
	st, body = b.post("/settings/second-factor/sms/verify", url.Values{"code": {code}, "password": {"wrong"}})
	expect(t, "phone without the password", st, body, http.StatusUnprocessableEntity, "current password is not right")
	st, loc := b.post("/settings/second-factor/sms/verify", url.Values{"code": {code}, "password": {"correct horse battery"}})
	expect(t, "phone verified", st, loc, 303, "/settings?done=sms")

	b2 := p.browser()
	b2.signIn("ana@example.com", "correct horse battery")
	_, body = b2.get("/signin/code")
	expect(t, "sms code page", 200, body, 200, "texted a 6-digit code to ••••••••4567")
	if !strings.HasPrefix(p.texts.last(), "+15551234567: ") {
		t.Fatalf("text %q", p.texts.last())
	}
	st, loc = b2.post("/signin/code", url.Values{"code": {codeRE.FindString(p.texts.last())}})
	expect(t, "sms code", st, loc, 303, "/home")

	st, loc = b2.post("/settings/signout-everywhere", nil)
	expect(t, "sign out everywhere", st, loc, 303, "/signin?done=everywhere")
	for i, br := range []*browser{b, b2} {
		if st, _ := br.get("/home"); st != 303 {
			t.Fatalf("browser %d still signed in", i)
		}
	}

	// Password reset: the same answer for unknown emails; the link works once.
	st, body = p.browser().post("/reset", url.Values{"email": {"nobody@example.com"}})
	expect(t, "reset unknown", st, body, 200, "If an account uses nobody@example.com")
	st, body = p.browser().post("/reset", url.Values{"email": {"ana@example.com"}})
	expect(t, "reset", st, body, 200, "If an account uses ana@example.com")
	_, text, _ := p.mail("ana@example.com")
	link := linkRE.FindString(text)
	b3 := p.browser()
	st, body = b3.post(link, url.Values{"password": {"short"}, "confirm": {"short"}})
	expect(t, "reset short", st, body, http.StatusUnprocessableEntity, "at least 10")
	st, loc = b3.post(link, url.Values{"password": {"a brand new secret"}, "confirm": {"a brand new secret"}})
	expect(t, "reset done", st, loc, 303, "/signin?done=password")
	st, body = b3.get(link)
	expect(t, "reset link again", st, body, http.StatusGone, "expired or was already used")
	b3.signIn("ana@example.com", "a brand new secret")
}

// TestUnknownLinksAreCountedPerAddress guesses invitation links from one outside address.
func TestUnknownLinksAreCountedPerAddress(t *testing.T) {
	p := newPortal(t)
	h := p.srv.Config.Handler
	get := func(ip, path string) int {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = ip + ":40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := 0; i < LinkTries; i++ {
		if code := get("203.0.113.5", fmt.Sprintf("/invite/guess%d", i)); code != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, code)
		}
	}
	if code := get("203.0.113.5", "/invite/one-more"); code != http.StatusTooManyRequests {
		t.Fatalf("after %d unknown links: %d, want 429", LinkTries, code)
	}
	if code := get("198.51.100.7", "/invite/other-address"); code != http.StatusNotFound {
		t.Fatalf("another address: %d", code)
	}
	p.clock.Advance(LockWindow)
	if code := get("203.0.113.5", "/invite/later"); code != http.StatusNotFound {
		t.Fatalf("after the window: %d", code)
	}
}

// staffOf signs in a second firm's staff on the same portal and returns a pusher for it.
func (p *portal) otherFirm(t *testing.T) func(ops ...api.Op) {
	t.Helper()
	hash, _ := auth.HashPassword("beta-password-1")
	if _, _, err := p.db.CreateFirm(context.Background(), "Beta Tax", api.Staff{Name: "Bo", Email: "bo@beta.test"}, hash); err != nil {
		t.Fatal(err)
	}
	other := *p
	other.token = ""
	var signIn api.SignInResponse
	other.api("POST", api.PathDevices, api.SignInRequest{Email: "bo@beta.test", Password: "beta-password-1"}, &signIn)
	other.token = signIn.Token
	return func(ops ...api.Op) {
		for _, r := range other.push(ops...) {
			if r.Status != api.OpApplied {
				t.Fatalf("beta op %+v", r)
			}
		}
	}
}

func (p *portal) mustPush(ops ...api.Op) {
	p.t.Helper()
	for _, r := range p.push(ops...) {
		if r.Status != api.OpApplied {
			p.t.Fatalf("op %+v", r)
		}
	}
}

func TestTodosBillingAndNoOtherClientsData(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	beta := p.otherFirm(t)
	p.mustPush(
		op(api.KindClientPut, "c2", api.Client{Name: "Zed Corp", People: []api.Person{{ID: "z1", Role: api.RolePrimary, Name: "Zed", Email: "zed@zed.test"}}}),
		op(api.KindTodoPut, "t1", api.Todo{ClientID: "c1", Title: "Upload your W-2", Description: "Both of them, please.", Due: "2026-11-20", State: api.TodoOpen}),
		op(api.KindTodoPut, "t3", api.Todo{ClientID: "c1", Title: "Sign engagement letter", State: api.TodoOpen}),
		op(api.KindTodoPut, "t2", api.Todo{ClientID: "c2", Title: "Zed's secret task", State: api.TodoOpen}),
		op(api.KindInvoicePut, "i1", api.Invoice{ClientID: "c1", Number: "2026-014", Date: "2026-11-02", State: api.InvoiceOpen,
			Lines: []api.InvoiceLine{{Description: "1040 preparation", Quantity: 1, UnitCents: 45000}, {Description: "State return", Quantity: 2, UnitCents: 7550}}}),
		op(api.KindPaymentPut, "pay1", api.Payment{ClientID: "c1", InvoiceID: "i1", Date: "2026-11-10", AmountCents: 20000, Method: "Card"}),
		op(api.KindInvoicePut, "i2", api.Invoice{ClientID: "c2", Number: "2026-015", Date: "2026-11-03", State: api.InvoiceOpen,
			Lines: []api.InvoiceLine{{Description: "Zed's books", Quantity: 1, UnitCents: 99900}}}),
	)
	beta(
		op(api.KindClientPut, "c1", api.Client{Name: "Beta's client", People: []api.Person{{ID: "b1", Role: api.RolePrimary, Name: "B", Email: "b@b.test"}}}),
		op(api.KindTodoPut, "tb", api.Todo{ClientID: "c1", Title: "Beta's task", State: api.TodoOpen}),
		op(api.KindInvoicePut, "ib", api.Invoice{ClientID: "c1", Number: "B-1", Date: "2026-11-03", State: api.InvoiceOpen,
			Lines: []api.InvoiceLine{{Description: "Beta work", Quantity: 1, UnitCents: 100}}}),
	)
	// A payment against another client's invoice is refused.
	if r := p.push(op(api.KindPaymentPut, "pay2", api.Payment{ClientID: "c1", InvoiceID: "i2", Date: "2026-11-10", AmountCents: 5})); r[0].Status != api.OpRejected {
		t.Fatalf("cross-client payment: %+v", r)
	}
	b := p.accept("ana@example.com", "correct horse battery")

	st, body := b.get("/home")
	expect(t, "home", st, body, 200, "Upload your W-2")
	expect(t, "home overdue", st, body, 200, "overdue")
	for _, leak := range []string{"Zed", "Beta"} {
		if strings.Contains(body, leak) {
			t.Fatalf("home shows %q", leak)
		}
	}
	st, body = b.get("/billing")
	expect(t, "billing balance", st, body, 200, "$401.00") // 450 + 2×75.50 − 200
	if strings.Contains(body, "2026-015") || strings.Contains(body, "B-1") {
		t.Fatal("billing shows another client's invoice")
	}
	st, body = b.get("/billing/invoices/i1")
	expect(t, "invoice", st, body, 200, "$601.00")
	expect(t, "invoice line", st, body, 200, "$151.00")

	// Every URL that takes an id answers 404 for another client's and another firm's.
	for _, tt := range []struct{ method, path string }{
		{"GET", "/billing/invoices/i2"}, {"GET", "/billing/invoices/ib"}, {"GET", "/billing/invoices/nope"},
		{"POST", "/todos/t2/done"}, {"POST", "/todos/tb/done"}, {"POST", "/todos/nope/done"},
	} {
		var st int
		var body string
		if tt.method == "GET" {
			st, body = b.get(tt.path)
		} else {
			st, body = b.post(tt.path, nil)
		}
		expect(t, tt.method+" "+tt.path, st, body, http.StatusNotFound, "nothing here")
	}

	st, loc := b.post("/todos/t1/done", nil)
	expect(t, "complete", st, loc, 303, "/todos?done=t1")
	st, body = b.get(loc)
	expect(t, "todos after", st, body, 200, "Marked done")
	var done api.Todo
	var resp api.ChangesResponse
	p.api("GET", api.PathChanges+"?after=0&limit=5000", nil, &resp)
	for _, c := range resp.Changes {
		if c.Kind == api.KindTodoPut && c.EntityID == "t1" {
			json.Unmarshal(c.Data, &done)
		}
	}
	if done.State != api.TodoDone || done.DoneBy != "ana@example.com" || done.DoneAt == nil || done.Title != "Upload your W-2" {
		t.Fatalf("staff see %+v", done)
	}
	events, _ := p.db.AuditEvents(context.Background(), p.user("ana@example.com").ID)
	if !contains(events, "todo.done") {
		t.Fatalf("audit %v", events)
	}
}

func TestRemovingAccessToOneClientKeepsTheOthers(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	p.mustPush(
		op(api.KindClientPut, "c2", api.Client{Name: "Pérez Bakery LLC", People: []api.Person{{ID: "k1", Role: api.RolePrimary, Name: "Ana Pérez", Email: "ana@bakery.test"}}}),
		op(api.KindTodoPut, "t1", api.Todo{ClientID: "c1", Title: "Household task", State: api.TodoOpen}),
		op(api.KindTodoPut, "t2", api.Todo{ClientID: "c2", Title: "Bakery task", State: api.TodoOpen}),
		op(api.KindPortalInvite, "c2", api.Invite{People: []api.Invitee{{Name: "Ana Pérez", Email: "ana@example.com"}}}),
	)
	b := p.accept("ana@example.com", "correct horse battery") // the newest link: the bakery's
	_, body := b.get("/home")
	for _, want := range []string{"Household task", "Bakery task"} {
		if !strings.Contains(body, want) {
			t.Fatalf("home lacks %q", want)
		}
	}
	p.mustPush(op(api.KindPortalRevoke, "c1", api.Revoke{Email: "ana@example.com"}))
	st, body := b.get("/home")
	expect(t, "home after removal from c1", st, body, 200, "Bakery task")
	if strings.Contains(body, "Household task") {
		t.Fatal("still sees the household's to-do")
	}
	st, body = b.post("/todos/t1/done", nil)
	expect(t, "household to-do", st, body, http.StatusNotFound, "nothing here")
	u := p.portalUser("ana@example.com")
	if u.State != api.PortalActive || len(u.ClientIDs) != 1 || u.ClientIDs[0] != "c2" || len(u.RemovedIDs) != 1 || u.RemovedIDs[0] != "c1" {
		t.Fatalf("staff see %+v", u)
	}
	if r := p.push(op(api.KindPortalRevoke, "c1", api.Revoke{Email: "luis@nowhere.test"})); r[0].Status != api.OpRejected {
		t.Fatalf("removing someone without access: %+v", r)
	}
	p.mustPush(op(api.KindPortalRevoke, "c2", api.Revoke{Email: "ana@example.com"}))
	if st, loc := b.get("/home"); st != 303 || !strings.HasPrefix(loc, "/signin") {
		t.Fatalf("after the last client: %d %s", st, loc)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/todos":              "/todos",
		"/billing/invoices/x": "/billing/invoices/x",
		"":                    "/home",
		"https://evil.test/":  "/home",
		"//evil.test":         "/home",
		"/\t/evil.test":       "/home",
		"/\\evil.test":        "/home",
		"/ /evil.test":        "/home",
		"todos":               "/home",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPagesThatAreEasyToGetWrong(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	b := p.accept("ana@example.com", "correct horse battery")
	st, body := b.get("/settings/second-factor/sms")
	expect(t, "phone form", st, body, 200, `id="phone"`)
	st, body = b.post("/settings/second-factor/sms", url.Values{"phone": {""}})
	expect(t, "empty phone keeps the form", st, body, http.StatusUnprocessableEntity, `id="phone"`)
	st, body = b.post("/settings/name", url.Values{"name": {"   "}})
	expect(t, "empty name", st, body, http.StatusUnprocessableEntity, "Enter your name")
	st, loc := b.post("/settings/name", url.Values{"name": {"Ana  María Pérez"}})
	expect(t, "name", st, loc, 303, "done=name")
	_, body = b.get("/settings")
	expect(t, "new name", 200, body, 200, `value="Ana María Pérez"`)

	// The firm's own help links, for its clients.
	if r := p.push(op(api.KindHelpPut, api.HelpID, api.Help{Links: []api.HelpLink{{Label: "x", URL: "javascript:alert(1)"}}})); r[0].Status != api.OpRejected {
		t.Fatalf("a script link was accepted: %+v", r)
	}
	p.mustPush(op(api.KindHelpPut, api.HelpID, api.Help{Links: []api.HelpLink{{Label: "Our tax checklist", URL: "https://alpha.test/checklist"}}}))
	st, body = b.get("/help")
	expect(t, "help links", st, body, 200, `<a href="https://alpha.test/checklist" rel="noopener noreferrer">Our tax checklist</a>`)
	if _, body := p.browser().get("/help"); strings.Contains(body, "checklist") {
		t.Fatal("a firm's links shown to someone not signed in")
	}

	// A session that ran out says so at sign-in, and keeps where the person was going.
	p.clock.Advance(SessionLife + time.Minute)
	st, loc = b.get("/billing")
	expect(t, "expired", st, loc, 303, "done=expired")
	expect(t, "expired keeps next", st, loc, 303, "next=%2Fbilling")
	_, body = b.get(loc)
	expect(t, "expired notice", 200, body, 200, "Your sign-in expired")
}

var slotRE = regexp.MustCompile(`name="start" value="([^"]+)"`)

func TestScheduleBookingWithCalendarFileAndCancellation(t *testing.T) {
	p := newPortal(t)
	p.inviteClient()
	b := p.accept("ana@example.com", "correct horse battery")
	if st, _ := b.get("/schedule"); st != http.StatusNotFound {
		t.Fatalf("schedule of a firm that takes no bookings: %d", st)
	}
	week := make([]api.DayHours, 7)
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = api.DayHours{Start: "09:00", End: "11:00"}
	}
	sch := api.Schedule{Enabled: true, TimeZone: "America/New_York", Weekly: week, CancelHours: 24, HorizonDays: 14,
		Types: []api.AppointmentType{{ID: "review", Name: "Tax review", Minutes: 60}}}
	if r := p.push(op(api.KindSchedulePut, api.ScheduleID, api.Schedule{Enabled: true, TimeZone: "Nowhere/Else", Weekly: week})); r[0].Status != api.OpRejected {
		t.Fatalf("bad schedule: %+v", r)
	}
	p.mustPush(op(api.KindSchedulePut, api.ScheduleID, sch))

	st, body := b.get("/schedule")
	expect(t, "schedule", st, body, 200, "Times are in America/New_York")
	found := slotRE.FindAllStringSubmatch(body, -1)
	if len(found) < 10 { // two a weekday for two weeks, less today's
		t.Fatalf("%d slots offered", len(found))
	}
	// A time more than a day ahead, so it can still be cancelled online.
	var first string
	var start time.Time
	for _, f := range found {
		start, _ = time.Parse(time.RFC3339, f[1])
		if start.After(p.clock.Now().Add(48 * time.Hour)) {
			first = f[1]
			break
		}
	}
	ny, _ := time.LoadLocation("America/New_York")
	if h := start.In(ny).Hour(); h != 9 && h != 10 {
		t.Fatalf("first slot at %v New York time", start.In(ny))
	}
	st, body = b.post("/schedule/book", url.Values{"type": {"review"}, "start": {start.Add(7 * time.Minute).Format(time.RFC3339)}})
	expect(t, "a time not offered", st, body, http.StatusUnprocessableEntity, "not offered")
	st, loc := b.post("/schedule/book", url.Values{"type": {"review"}, "start": {first}})
	expect(t, "book", st, loc, 303, "done=booked")
	st, body = b.get(loc)
	expect(t, "booked", st, body, 200, "Your appointment is booked")
	expect(t, "listed", st, body, 200, "Cancel this appointment")
	if strings.Contains(body, `value="`+first+`"`) {
		t.Fatal("the booked time is still offered")
	}
	// Luis books the same time from a page loaded before: refused.
	st, body = p.accept("luis@example.com", "another good password").post("/schedule/book", url.Values{"type": {"review"}, "start": {first}})
	expect(t, "double booking", st, body, http.StatusConflict, "Someone booked that time")

	// The confirmation carries a calendar file a real iCalendar parser reads back.
	due, _ := p.dueMail(p.clock.Now().Add(time.Hour), 100)
	var att []byte
	for _, m := range due {
		if strings.HasPrefix(m.Message.Subject, "Appointment confirmed") && len(m.Message.Attachments) == 1 {
			att = m.Message.Attachments[0].Data
			if !strings.HasPrefix(m.Message.Attachments[0].ContentType, "text/calendar") {
				t.Fatalf("content type %q", m.Message.Attachments[0].ContentType)
			}
		}
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(att))
	if err != nil || len(cal.Events()) != 1 {
		t.Fatalf("parse %q: %v", att, err)
	}
	ev := cal.Events()[0]
	got, err := ev.GetStartAt()
	if err != nil || !got.Equal(start) || got.Location().String() != "America/New_York" {
		t.Fatalf("DTSTART %v (%v), want %v in America/New_York\n%s", got, err, start, att)
	}
	if end, _ := ev.GetEndAt(); !end.Equal(start.Add(time.Hour)) {
		t.Fatalf("DTEND %v", end)
	}

	// Staff get the booking; cancelling works until 24 hours before.
	var booked api.Booking
	var resp api.ChangesResponse
	p.api("GET", api.PathChanges+"?after=0&limit=5000", nil, &resp)
	var bookingID string
	for _, c := range resp.Changes {
		if c.Kind == api.KindBookingPut {
			json.Unmarshal(c.Data, &booked)
			bookingID = c.EntityID
		}
	}
	if booked.ClientName != "Ana & Luis Pérez" || !booked.Start.Equal(start) || booked.State != api.BookingBooked {
		t.Fatalf("staff see %+v", booked)
	}
	st, body = p.browser().post("/schedule/"+bookingID+"/cancel", nil)
	if st != 303 || !strings.HasPrefix(body, "/signin") {
		t.Fatalf("cancel without signing in: %d %s", st, body)
	}
	// Another client's booking cannot be cancelled, or even told apart from none.
	p.mustPush(op(api.KindClientPut, "c2", api.Client{Name: "Zed Corp", People: []api.Person{{ID: "z1", Role: api.RolePrimary, Name: "Zed", Email: "zed@zed.test"}}}),
		op(api.KindPortalInvite, "c2", api.Invite{People: []api.Invitee{{Name: "Zed", Email: "zed@zed.test"}}}))
	zed := p.accept("zed@zed.test", "zed's own password")
	_, body = zed.get("/schedule?type=review")
	st, loc = zed.post("/schedule/book", url.Values{"type": {"review"}, "start": {slotRE.FindStringSubmatch(body)[1]}})
	expect(t, "zed books", st, loc, 303, "done=booked")
	p.api("GET", api.PathChanges+"?after=0&limit=5000", nil, &resp)
	zedBooking := resp.Changes[len(resp.Changes)-2].EntityID // the booking, then its audit event
	for _, who := range []*browser{b, p.browser()} {
		st, body := who.post("/schedule/"+zedBooking+"/cancel", nil)
		if st != http.StatusNotFound && !(st == 303 && strings.HasPrefix(body, "/signin")) {
			t.Fatalf("cancelling another client's booking: %d %.200s", st, body)
		}
	}
	if _, body := zed.get("/schedule"); !strings.Contains(body, "Your appointments") || strings.Contains(body, "· cancelled") {
		t.Fatal("zed's booking was touched")
	}

	st, loc = b.post("/schedule/"+bookingID+"/cancel", nil)
	expect(t, "cancel in time", st, loc, 303, "done=cancelled")
	st, loc = b.post("/schedule/book", url.Values{"type": {"review"}, "start": {first}})
	expect(t, "the freed time books again", st, loc, 303, "done=booked")
	p.api("GET", api.PathChanges+"?after=0&limit=5000", nil, &resp)
	for _, c := range resp.Changes {
		if c.Kind == api.KindBookingPut {
			bookingID = c.EntityID
		}
	}
	p.clock.Advance(start.Add(-23 * time.Hour).Sub(p.clock.Now()))
	st, body = b.post("/schedule/"+bookingID+"/cancel", nil)
	expect(t, "too late", st, body, http.StatusConflict, "until 24 hours before")
}
