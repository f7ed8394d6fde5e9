package web

import (
	"errors"
	"net/http"
	"strings"

	"portico/backend/portal/auth"
	"portico/backend/portal/db"
)

func (w *Web) resetRequestPage(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, "reset-request", page{Title: "Reset your password"})
}

// requestReset emails a reset link to an account with that email. The answer is the same
// whether or not one exists, so the form cannot be used to find out who is a client.
func (w *Web) requestReset(rw http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	if email == "" {
		w.render(rw, r, http.StatusUnprocessableEntity, "reset-request", page{Title: "Reset your password", Error: "Enter your email."})
		return
	}
	sent := page{Title: "Check your email",
		Notice: "If an account uses " + email + ", we sent it a link to choose a new password. The link works for an hour."}
	users, err := w.DB.ActiveUsersByEmail(r.Context(), email)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, u := range users {
		// Quietly at most a few reset mails per person: the form must not become a way to
		// flood someone's inbox, nor to use up their sign-in codes.
		if ok, _ := w.resetSends.Allow(u.ID); !ok {
			continue
		}
		w.resetSends.Fail(u.ID)
		token, hash := auth.NewToken()
		if err := w.DB.SetCode(r.Context(), u.ID, db.CodeReset, hash, "", w.Now().Add(ResetLife)); err != nil {
			w.fail(rw, r, err)
			return
		}
		if err := w.queueMail(r.Context(), u.FirmID, u.FirmName, u, "Reset your "+u.FirmName+" portal password", "reset",
			struct{ Firm, Link string }{u.FirmName, w.BaseURL + "/reset/" + token}); err != nil {
			w.fail(rw, r, err)
			return
		}
		w.audit(r, u, "password.reset_requested", "")
	}
	w.render(rw, r, http.StatusOK, "message", sent)
}

func (w *Web) resetUser(rw http.ResponseWriter, r *http.Request) (db.User, bool) {
	u, err := w.DB.UserByResetToken(r.Context(), r.PathValue("token"))
	if errors.Is(err, db.ErrNotFound) || errors.Is(err, db.ErrLinkExpired) {
		if ip := limitKey(r); ip != "" {
			w.links.Fail(ip)
		}
		w.render(rw, r, http.StatusGone, "message", page{Title: "This link does not work",
			Error: "This password reset link has expired or was already used.", Data: action{"/reset", "Ask for a new link"}})
		return u, false
	}
	if err != nil {
		w.fail(rw, r, err)
		return u, false
	}
	return u, true
}

func (w *Web) resetPage(rw http.ResponseWriter, r *http.Request) {
	if u, ok := w.resetUser(rw, r); ok {
		w.render(rw, r, http.StatusOK, "reset", page{Title: "Choose a new password", Firm: u.FirmName, Data: u.Email})
	}
}

func (w *Web) reset(rw http.ResponseWriter, r *http.Request) {
	u, ok := w.resetUser(rw, r)
	if !ok {
		return
	}
	password := r.PostFormValue("password")
	msg := ""
	if err := auth.CheckNewPassword(password, u.Email); err != nil {
		msg = err.Error()
	} else if password != r.PostFormValue("confirm") {
		msg = "The two passwords are not the same."
	}
	if msg != "" {
		w.render(rw, r, http.StatusUnprocessableEntity, "reset", page{Title: "Choose a new password", Firm: u.FirmName, Error: msg, Data: u.Email})
		return
	}
	hash, err := auth.HashPassword(password)
	if err == nil {
		err = w.DB.ResetPassword(r.Context(), r.PathValue("token"), hash, event(r, "password.reset", "every session ended"))
	}
	if errors.Is(err, db.ErrLinkExpired) {
		w.resetUser(rw, r) // spent a moment ago, in another tab: show the link page as it now is
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/signin?done=password", http.StatusSeeOther)
}
