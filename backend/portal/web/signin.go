package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/portal/peer"
	"portico/backend/portal/ratelimit"
)

type signInData struct {
	Email string
	Next  string
}

// safeNext keeps a post-sign-in redirect on this site: a path of plain characters, one
// leading slash, no scheme or host however a browser might read it.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.ContainsFunc(next, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == '\\'
	}) {
		return "/home"
	}
	return next
}

var notices = map[string]string{
	"signedout":  "You are signed out.",
	"everywhere": "You are signed out on every device.",
	"password":   "Your password was changed. Sign in with the new one.",
	"expired":    "Your sign-in expired. Please sign in again.",
	"booked":     "Your appointment is booked. We emailed you the details with a calendar file.",
	"cancelled":  "Your appointment is cancelled.",
}

func (w *Web) signInPage(rw http.ResponseWriter, r *http.Request) {
	if s, err := w.session(r); err == nil && s.Authenticated {
		http.Redirect(rw, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, "signin", page{Title: "Sign in", Notice: notices[r.URL.Query().Get("done")],
		Data: signInData{Next: r.URL.Query().Get("next")}})
}

func (w *Web) lockedMessage(wait time.Duration) string {
	return fmt.Sprintf("Too many failed attempts. For your security, signing in is paused for %d minutes.", int((wait+time.Minute-1)/time.Minute))
}

func (w *Web) signIn(rw http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	data := signInData{Email: email, Next: r.PostFormValue("next")}
	again := func(status int, msg string) {
		w.render(rw, r, status, "signin", page{Title: "Sign in", Error: msg, Data: data})
	}
	if email == "" || password == "" {
		again(http.StatusUnprocessableEntity, "Enter your email and your password.")
		return
	}
	type limit struct {
		l   *ratelimit.Limiter
		key string
	}
	if len(email) > api.MaxEmailLen {
		again(http.StatusUnauthorized, "That email and password do not match an account. Check both and try again.")
		return
	}
	// The email's count is kept per address: a stranger who knows someone's email cannot
	// lock them out from elsewhere.
	ip := peer.IP(r)
	limits := []limit{{w.byEmail, ip + " " + strings.ToLower(email)}}
	if !peer.Loopback(ip) {
		limits = append(limits, limit{w.byIP, ip})
	}
	for _, l := range limits {
		if ok, wait := l.l.Allow(l.key); !ok {
			again(http.StatusTooManyRequests, w.lockedMessage(wait))
			return
		}
	}
	users, err := w.DB.ActiveUsersByEmail(r.Context(), email)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var user *db.User
	for i := range users {
		ok, err := auth.CheckPassword(users[i].PasswordHash, password)
		if errors.Is(err, auth.ErrBusy) {
			again(http.StatusServiceUnavailable, "The portal is busy right now. Wait a moment and sign in again.")
			return
		}
		if ok {
			user = &users[i]
			break
		}
	}
	if len(users) == 0 {
		auth.Pretend(password)
	}
	if user == nil {
		locked := false
		for _, l := range limits {
			locked = l.l.Fail(l.key) && l.l == w.byEmail || locked
		}
		for _, u := range users {
			w.audit(r, u, "signin.failed", "wrong password")
			if locked {
				w.audit(r, u, "signin.locked", fmt.Sprintf("%d failed sign-ins", SignInTries))
				w.lockoutMail(r, u, "sign-in")
			}
		}
		if locked {
			again(http.StatusTooManyRequests, w.lockedMessage(LockWindow))
			return
		}
		again(http.StatusUnauthorized, "That email and password do not match an account. Check both and try again.")
		return
	}
	w.byEmail.Reset(limits[0].key)
	if err := w.startSession(rw, r, *user, false); err != nil {
		w.fail(rw, r, err)
		return
	}
	to := "/signin/code?"
	if n := r.PostFormValue("next"); n != "" {
		to += "next=" + url.QueryEscape(safeNext(n)) + "&"
	}
	switch msg := w.sendSignInCode(r, *user); {
	case msg == errTooManyCodes:
		to += "sent=earlier" // the newest code sent still works
	case msg != "":
		w.render(rw, r, http.StatusServiceUnavailable, "message", page{Title: "Sign in", Error: msg})
		return
	}
	http.Redirect(rw, r, strings.TrimSuffix(to, "?"), http.StatusSeeOther)
}

// sendSignInCode emails or texts a code for users of those second factors; it returns a
// message for the user when it cannot.
func (w *Web) sendSignInCode(r *http.Request, u db.User) string {
	if u.SecondFactor == "totp" {
		return ""
	}
	if ok, _ := w.codeSends.Allow(u.ID); !ok {
		return errTooManyCodes
	}
	w.codeSends.Fail(u.ID)
	code, hash := auth.NewCode()
	if err := w.DB.SetCode(r.Context(), u.ID, db.CodeSignIn, hash, "", w.Now().Add(CodeLife)); err != nil {
		w.Log.Error("sign-in code", "err", err)
		return "Something went wrong on our side. Please try again."
	}
	if u.SecondFactor == "sms" && w.SMS != nil {
		if err := w.SMS.Send(r.Context(), u.Phone, fmt.Sprintf("%s is your %s sign-in code. It expires in 10 minutes.", code, u.FirmName)); err != nil {
			w.Log.Error("sign-in code by text", "user", u.ID, "err", err)
			return "We could not send a text message just now. Please try again in a few minutes."
		}
		return ""
	}
	err := w.queueMail(r.Context(), u.FirmID, u.FirmName, u, "Your sign-in code: "+code, "code",
		struct{ Code, Firm string }{code, u.FirmName})
	if err != nil {
		w.Log.Error("sign-in code by email", "err", err)
		return "Something went wrong on our side. Please try again."
	}
	return ""
}

const errTooManyCodes = "Several codes were sent in the last minutes. Use the newest one, or wait 15 minutes for another."

type codeData struct {
	Factor   string // email, sms or totp
	SentTo   string // masked
	Next     string
	Recovery bool
}

func mask(s string, factor string) string {
	if factor == "sms" {
		if len(s) > 4 {
			return strings.Repeat("•", len(s)-4) + s[len(s)-4:]
		}
		return s
	}
	name, domain, ok := strings.Cut(s, "@")
	if !ok || len(name) == 0 {
		return s
	}
	return name[:1] + strings.Repeat("•", max(len(name)-1, 2)) + "@" + domain
}

func (w *Web) codeData(r *http.Request, u db.User) codeData {
	d := codeData{Factor: u.SecondFactor, Next: r.FormValue("next")}
	if u.SecondFactor == "sms" && w.SMS == nil {
		d.Factor = "email" // the portal stopped offering text messages: codes go by email
	}
	switch d.Factor {
	case "sms":
		d.SentTo = mask(u.Phone, "sms")
	case "email":
		d.SentTo = mask(u.Email, "email")
	}
	return d
}

func (w *Web) codePage(rw http.ResponseWriter, r *http.Request, s db.Session) {
	notice := ""
	if r.URL.Query().Get("sent") == "earlier" {
		notice = errTooManyCodes
	}
	w.render(rw, r, http.StatusOK, "code", page{Title: "Enter your code", Firm: s.User.FirmName, Notice: notice, Data: w.codeData(r, s.User)})
}

var recoveryShape = regexp.MustCompile(`^[a-z2-9]{5}-[a-z2-9]{5}$`)

func (w *Web) checkSignInCode(rw http.ResponseWriter, r *http.Request, s db.Session) {
	u := s.User
	typed := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("code")), " ", "")
	d := w.codeData(r, u)
	again := func(status int, msg string) {
		w.render(rw, r, status, "code", page{Title: "Enter your code", Firm: u.FirmName, Error: msg, Data: d})
	}
	lockout := func() {
		w.audit(r, u, "code.locked", fmt.Sprintf("%d wrong codes", db.MaxCodeAttempts))
		w.lockoutMail(r, u, "code")
		w.endSession(rw, r)
		w.render(rw, r, http.StatusTooManyRequests, "message", page{Title: "Too many wrong codes", Firm: u.FirmName,
			Error: "That was too many wrong codes, so this sign-in was stopped. Sign in again to get a new code."})
	}
	if typed == "" {
		again(http.StatusUnprocessableEntity, "Enter the code.")
		return
	}
	if ok, _ := w.totpFails.Allow(u.ID); !ok {
		lockout()
		return
	}
	var err error
	switch {
	case recoveryShape.MatchString(strings.ToLower(typed)):
		var ok bool
		if ok, err = w.DB.UseRecoveryCode(r.Context(), u.ID, auth.HashToken(strings.ToLower(typed))); err == nil && !ok {
			err = db.ErrCodeWrong
		}
		if err == nil {
			left, _ := w.DB.RecoveryCodesLeft(r.Context(), u.ID)
			w.audit(r, u, "recovery_code.used", fmt.Sprintf("%d left", left))
		}
	case d.Factor == "totp":
		err = w.checkTOTP(r, u, typed)
	default:
		_, err = w.DB.UseCode(r.Context(), u.ID, db.CodeSignIn, typed)
	}
	switch {
	case errors.Is(err, db.ErrCodeLocked):
		lockout()
		return
	case errors.Is(err, db.ErrCodeWrong):
		w.audit(r, u, "code.failed", d.Factor)
		if w.totpFails.Fail(u.ID) {
			lockout()
			return
		}
		again(http.StatusUnauthorized, "That code is not right. Check it and try again.")
		return
	case errors.Is(err, db.ErrCodeExpired), errors.Is(err, db.ErrCodeMissing):
		again(http.StatusUnauthorized, "That code has expired. Send a new one below.")
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	w.totpFails.Reset(u.ID)
	// A new session id once fully signed in: the half-signed-in one is not promoted, so a
	// cookie planted before sign-in is worth nothing after it.
	if err := w.DB.DeleteSession(r.Context(), w.sessionHash(r)); err != nil {
		w.fail(rw, r, err)
		return
	}
	if err := w.startSession(rw, r, u, true); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.audit(r, u, "signin.succeeded", d.Factor)
	http.Redirect(rw, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// checkTOTP accepts a code from the user's authenticator app once.
func (w *Web) checkTOTP(r *http.Request, u db.User, typed string) error {
	secret, err := w.Sealer.Open(u.TOTPSecret, []byte(u.ID))
	if err != nil {
		return err
	}
	step, ok := auth.CheckTOTP(string(secret), typed, w.Now(), u.TOTPLastStep)
	if !ok {
		return db.ErrCodeWrong
	}
	fresh, err := w.DB.UseTOTPStep(r.Context(), u.ID, step)
	if err != nil {
		return err
	}
	if !fresh {
		return db.ErrCodeWrong // the same code, used a moment ago
	}
	return nil
}

func (w *Web) resendCode(rw http.ResponseWriter, r *http.Request, s db.Session) {
	if msg := w.sendSignInCode(r, s.User); msg != "" {
		w.render(rw, r, http.StatusTooManyRequests, "code", page{Title: "Enter your code", Firm: s.User.FirmName,
			Error: msg, Data: w.codeData(r, s.User)})
		return
	}
	w.render(rw, r, http.StatusOK, "code", page{Title: "Enter your code", Firm: s.User.FirmName,
		Notice: "We sent a new code.", Data: w.codeData(r, s.User)})
}

func (w *Web) signOut(rw http.ResponseWriter, r *http.Request) {
	w.endSession(rw, r)
	http.Redirect(rw, r, "/signin?done=signedout", http.StatusSeeOther)
}

func (w *Web) audit(r *http.Request, u db.User, name, detail string) {
	if err := w.DB.Audit(r.Context(), u, event(r, name, detail)); err != nil {
		w.Log.Error("audit", "event", name, "err", err)
	}
}

// lockoutMail tells the user someone failed to sign in as them too often.
func (w *Web) lockoutMail(r *http.Request, u db.User, what string) {
	err := w.queueMail(r.Context(), u.FirmID, u.FirmName, u, "Sign-in to your "+u.FirmName+" portal paused", "lockout",
		struct {
			Firm, What, IP, Reset string
			Minutes               int
		}{u.FirmName, what, peer.IP(r), w.BaseURL + "/reset", int(LockWindow / time.Minute)})
	if err != nil {
		w.Log.Error("lockout mail", "err", err)
	}
}
