package web

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"strings"
	"time"

	"portico/backend/portal/auth"
	"portico/backend/portal/db"
)

type homeData struct {
	Clients []db.ClientName
	Files   []db.File
	Welcome bool
	Todos   []db.Todo // the open ones due first
	Today   string
}

// HomeTodos is how many open to-dos Home shows.
const HomeTodos = 5

// HomeFiles is how many recent files Home shows.
const HomeFiles = 5

func (w *Web) home(rw http.ResponseWriter, r *http.Request, s db.Session) {
	d := homeData{Welcome: r.URL.Query().Get("welcome") == "1", Today: w.Now().Format("2006-01-02")}
	var err error
	if d.Clients, err = w.DB.ClientNames(r.Context(), s.User); err == nil {
		d.Todos, err = w.DB.Todos(r.Context(), s.User, true, HomeTodos)
	}
	if err == nil {
		d.Files, err = w.DB.Files(r.Context(), s.User, HomeFiles)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "home", page{Title: "Home", User: &s.User, Data: d})
}

type settingsData struct {
	SMSAvailable  bool
	RecoveryLeft  int
	Phone         string
	PhoneForm     bool // ask for a mobile number
	ShowPhoneCode bool // a code was texted to Phone
	TOTP          *totpSetup
	RecoveryCodes []string // shown once, right after turning on the app
}

type totpSetup struct {
	Sealed string       // the new secret, sealed to this user, carried by the form until confirmed
	Secret string       // to type by hand
	QR     template.URL // data: URL of the QR code PNG, which html/template would otherwise refuse
}

var settingsNotices = map[string]string{
	"password": "Your password was changed. Your other devices were signed out.",
	"name":     "Your name was changed.",
	"email":    "Sign-in codes now come by email.",
	"sms":      "Sign-in codes now come by text message.",
}

func (w *Web) settingsPage(rw http.ResponseWriter, r *http.Request, s db.Session, status int, p page, d settingsData) {
	d.SMSAvailable = w.SMS != nil
	d.RecoveryLeft, _ = w.DB.RecoveryCodesLeft(r.Context(), s.User.ID)
	p.Title, p.User, p.Data = "Settings", &s.User, d
	w.render(rw, r, status, "settings", p)
}

func (w *Web) settings(rw http.ResponseWriter, r *http.Request, s db.Session) {
	w.settingsPage(rw, r, s, http.StatusOK, page{Notice: settingsNotices[r.URL.Query().Get("done")]}, settingsData{})
}

func (w *Web) changePassword(rw http.ResponseWriter, r *http.Request, s db.Session) {
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	fail := func(msg string) {
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: msg}, settingsData{})
	}
	if ok, wait := w.byEmail.Allow("settings:" + s.User.ID); !ok {
		fail(w.lockedMessage(wait))
		return
	}
	if ok, _ := auth.CheckPassword(s.User.PasswordHash, current); !ok {
		w.audit(r, s.User, "password.change_failed", "wrong current password")
		w.byEmail.Fail("settings:" + s.User.ID)
		fail("Your current password is not right.")
		return
	}
	if err := auth.CheckNewPassword(next, s.User.Email); err != nil {
		fail(err.Error())
		return
	}
	if next != confirm {
		fail("The two new passwords are not the same.")
		return
	}
	hash, err := auth.HashPassword(next)
	if err == nil {
		err = w.DB.SetPassword(r.Context(), s.User, hash, w.sessionHash(r), event(r, "password.changed", "other sessions ended"))
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/settings?done=password", http.StatusSeeOther)
}

// confirmPassword asks for the current password before two-step sign-in changes, so a
// session left open on someone else's computer cannot swap the second factor. It returns
// what to tell the person, or "" when the password is right.
func (w *Web) confirmPassword(r *http.Request, s db.Session) string {
	key := "settings:" + s.User.ID
	if ok, wait := w.byEmail.Allow(key); !ok {
		return w.lockedMessage(wait)
	}
	if ok, _ := auth.CheckPassword(s.User.PasswordHash, r.PostFormValue("password")); !ok {
		w.byEmail.Fail(key)
		w.audit(r, s.User, "password.confirm_failed", "changing two-step sign-in")
		return "Your current password is not right."
	}
	return ""
}

// factorChanged records the change and tells the person by email, in case it was not them.
func (w *Web) factorChanged(r *http.Request, u db.User, what string) {
	err := w.queueMail(r.Context(), u.FirmID, u.FirmName, u, "Two-step sign-in changed on your "+u.FirmName+" portal", "factor",
		struct{ Firm, What, Reset string }{u.FirmName, what, w.BaseURL + "/reset"})
	if err != nil {
		w.Log.Error("factor change mail", "err", err)
	}
}

func (w *Web) useEmailCodes(rw http.ResponseWriter, r *http.Request, s db.Session) {
	if msg := w.confirmPassword(r, s); msg != "" {
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: msg}, settingsData{})
		return
	}
	if err := w.DB.SetSecondFactor(r.Context(), s.User, "email", "", nil, 0, nil, event(r, "second_factor.changed", "email")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.factorChanged(r, s.User, "codes by email")
	http.Redirect(rw, r, "/settings?done=email", http.StatusSeeOther)
}

func (w *Web) smsPage(rw http.ResponseWriter, r *http.Request, s db.Session) {
	w.settingsPage(rw, r, s, http.StatusOK, page{}, settingsData{Phone: s.User.Phone, PhoneForm: true})
}

// phone normalizes a typed number to E.164: a leading + and 8 to 15 digits.
var phoneDigits = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

func normalizePhone(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	return s, phoneDigits.MatchString(s)
}

func (w *Web) smsSendCode(rw http.ResponseWriter, r *http.Request, s db.Session) {
	if w.SMS == nil {
		w.settingsPage(rw, r, s, http.StatusConflict, page{Error: "Text messages are not available on this portal."}, settingsData{})
		return
	}
	phone, ok := normalizePhone(r.PostFormValue("phone"))
	if !ok {
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{
			Error: "Enter your mobile number with its country code, for example +1 555 123 4567."}, settingsData{Phone: r.PostFormValue("phone"), PhoneForm: true})
		return
	}
	if ok, _ := w.codeSends.Allow(s.User.ID); !ok {
		w.settingsPage(rw, r, s, http.StatusTooManyRequests, page{Error: "Several codes were sent in the last minutes. Wait 15 minutes and try again."},
			settingsData{Phone: phone, PhoneForm: true})
		return
	}
	w.codeSends.Fail(s.User.ID)
	code, hash := auth.NewCode()
	if err := w.DB.SetCode(r.Context(), s.User.ID, db.CodePhone, hash, phone, w.Now().Add(CodeLife)); err != nil {
		w.fail(rw, r, err)
		return
	}
	if err := w.SMS.Send(r.Context(), phone, fmt.Sprintf("%s is your code to confirm this number for the %s portal.", code, s.User.FirmName)); err != nil {
		w.Log.Error("phone code", "err", err)
		w.settingsPage(rw, r, s, http.StatusBadGateway, page{Error: "We could not send a text message to that number. Check it and try again."},
			settingsData{Phone: phone, PhoneForm: true})
		return
	}
	w.settingsPage(rw, r, s, http.StatusOK, page{Notice: "We texted a code to " + phone + "."}, settingsData{Phone: phone, ShowPhoneCode: true})
}

func (w *Web) smsVerify(rw http.ResponseWriter, r *http.Request, s db.Session) {
	if msg := w.confirmPassword(r, s); msg != "" {
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: msg}, settingsData{ShowPhoneCode: true, Phone: r.PostFormValue("phone")})
		return
	}
	phone, err := w.DB.UseCode(r.Context(), s.User.ID, db.CodePhone, r.PostFormValue("code"))
	var msg string
	switch {
	case errors.Is(err, db.ErrCodeWrong):
		msg = "That code is not right. Check it and try again."
	case errors.Is(err, db.ErrCodeLocked), errors.Is(err, db.ErrCodeExpired), errors.Is(err, db.ErrCodeMissing):
		msg = "That code no longer works. Send a new one."
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: msg}, settingsData{})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	if msg != "" {
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: msg}, settingsData{ShowPhoneCode: true, Phone: r.PostFormValue("phone")})
		return
	}
	if err := w.DB.SetSecondFactor(r.Context(), s.User, "sms", phone, nil, 0, nil, event(r, "second_factor.changed", "sms")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.factorChanged(r, s.User, "text messages to "+phone)
	http.Redirect(rw, r, "/settings?done=sms", http.StatusSeeOther)
}

func (w *Web) newTOTPSetup(u db.User) (*totpSetup, error) {
	key, err := auth.NewTOTP(u.FirmName+" portal", u.Email)
	if err != nil {
		return nil, err
	}
	return &totpSetup{Sealed: base64.RawURLEncoding.EncodeToString(w.Sealer.Seal([]byte(key.Secret), []byte(u.ID))),
		Secret: key.Secret, QR: qrURL(key.QRPNG)}, nil
}

func (w *Web) totpPage(rw http.ResponseWriter, r *http.Request, s db.Session) {
	setup, err := w.newTOTPSetup(s.User)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.settingsPage(rw, r, s, http.StatusOK, page{}, settingsData{TOTP: setup})
}

// totpConfirm turns the authenticator app on once the user proves it shows the right codes.
func (w *Web) totpConfirm(rw http.ResponseWriter, r *http.Request, s db.Session) {
	sealed, err := base64.RawURLEncoding.DecodeString(r.PostFormValue("sealed"))
	var secret []byte
	if err == nil {
		secret, err = w.Sealer.Open(sealed, []byte(s.User.ID))
	}
	if err != nil {
		setup, err := w.newTOTPSetup(s.User)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: "That setup had expired. Scan this new code and try again."},
			settingsData{TOTP: setup})
		return
	}
	if s.User.SecondFactor == "totp" {
		if current, err := w.Sealer.Open(s.User.TOTPSecret, []byte(s.User.ID)); err == nil && string(current) == string(secret) {
			// The same form sent again (a reload): the app is on; new recovery codes would
			// silently replace the ones just written down.
			http.Redirect(rw, r, "/settings", http.StatusSeeOther)
			return
		}
	}
	if msg := w.confirmPassword(r, s); msg != "" {
		setup, err := w.newTOTPSetupFrom(s.User, sealed, secret)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{Error: msg}, settingsData{TOTP: setup})
		return
	}
	step, ok := auth.CheckTOTP(string(secret), r.PostFormValue("code"), w.Now(), 0)
	if !ok {
		setup, err := w.newTOTPSetupFrom(s.User, sealed, secret)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		w.settingsPage(rw, r, s, http.StatusUnprocessableEntity, page{
			Error: "That code is not right. Check the time on your phone and enter the code the app shows now."}, settingsData{TOTP: setup})
		return
	}
	codes, hashes := auth.NewRecoveryCodes(10)
	if err := w.DB.SetSecondFactor(r.Context(), s.User, "totp", "", sealed, step, hashes, event(r, "second_factor.changed", "totp")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.factorChanged(r, s.User, "an authenticator app")
	s.User.SecondFactor = "totp"
	w.settingsPage(rw, r, s, http.StatusOK, page{Notice: "Your authenticator app is on."}, settingsData{RecoveryCodes: codes})
}

// newTOTPSetupFrom shows the same secret again after a wrong first code.
func (w *Web) newTOTPSetupFrom(u db.User, sealed, secret []byte) (*totpSetup, error) {
	key, err := auth.TOTPKeyFor(u.FirmName+" portal", u.Email, string(secret))
	if err != nil {
		return nil, err
	}
	return &totpSetup{Sealed: base64.RawURLEncoding.EncodeToString(sealed), Secret: key.Secret,
		QR: qrURL(key.QRPNG)}, nil
}

// qrURL is safe to mark trusted: it is a PNG this process encoded, in base64.
func qrURL(png []byte) template.URL {
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

func (w *Web) signOutEverywhere(rw http.ResponseWriter, r *http.Request, s db.Session) {
	if err := w.DB.SignOutEverywhere(r.Context(), s.User, event(r, "signout.everywhere", "")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.setCookie(rw, "portico_session", "", -time.Second)
	http.Redirect(rw, r, "/signin?done=everywhere", http.StatusSeeOther)
}
