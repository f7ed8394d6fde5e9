package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/portal/peer"
)

type sessionKey struct{}

// session finds the browser's session, if any.
func (w *Web) session(r *http.Request) (db.Session, error) {
	c, err := r.Cookie(w.cookieName("portico_session"))
	if err != nil || c.Value == "" {
		return db.Session{}, db.ErrNotFound
	}
	return w.DB.SessionByHash(r.Context(), auth.HashToken(c.Value))
}

func (w *Web) sessionHash(r *http.Request) []byte {
	c, err := r.Cookie(w.cookieName("portico_session"))
	if err != nil {
		return nil
	}
	return auth.HashToken(c.Value)
}

// startSession gives the browser a new session; authenticated ones last SessionLife.
func (w *Web) startSession(rw http.ResponseWriter, r *http.Request, u db.User, authenticated bool) error {
	life := PendingLife
	if authenticated {
		life = SessionLife
	}
	token, hash := auth.NewToken()
	if err := w.DB.CreateSession(r.Context(), u.ID, hash, authenticated, w.Now().Add(life), peer.IP(r), r.UserAgent()); err != nil {
		return err
	}
	w.setCookie(rw, "portico_session", token, life)
	return nil
}

func (w *Web) endSession(rw http.ResponseWriter, r *http.Request) {
	if h := w.sessionHash(r); h != nil {
		if err := w.DB.DeleteSession(r.Context(), h); err != nil {
			w.Log.Error("sign out", "err", err)
		}
	}
	w.setCookie(rw, "portico_session", "", -time.Second)
}

// signedIn admits a fully authenticated session; others go to sign-in.
func (w *Web) signedIn(next func(http.ResponseWriter, *http.Request, db.Session)) http.HandlerFunc {
	return w.withSession(true, next)
}

// pending admits a session between password and second factor.
func (w *Web) pending(next func(http.ResponseWriter, *http.Request, db.Session)) http.HandlerFunc {
	return w.withSession(false, next)
}

func (w *Web) withSession(authenticated bool, next func(http.ResponseWriter, *http.Request, db.Session)) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		s, err := w.session(r)
		switch {
		case errors.Is(err, db.ErrNotFound):
			q := url.Values{}
			if _, had := r.Cookie(w.cookieName("portico_session")); had == nil {
				q.Set("done", "expired") // there was a session: say why it is gone
			}
			if r.Method == http.MethodGet && r.URL.Path != "/signin/code" {
				q.Set("next", r.URL.Path)
			}
			to := "/signin"
			if len(q) > 0 {
				to += "?" + q.Encode()
			}
			http.Redirect(rw, r, to, http.StatusSeeOther)
			return
		case err != nil:
			w.fail(rw, r, err)
			return
		case s.Authenticated != authenticated:
			to := "/home"
			if !s.Authenticated {
				to = "/signin/code"
			}
			http.Redirect(rw, r, to, http.StatusSeeOther)
			return
		}
		next(rw, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)), s)
	}
}

func event(r *http.Request, name, detail string) db.Event {
	return db.Event{Name: name, Detail: detail, IP: peer.IP(r), UserAgent: clip(r.UserAgent(), 512)}
}

// clip shortens s to at most n bytes, at a character boundary: headers are the sender's
// to choose, and they end up in audit trails.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
