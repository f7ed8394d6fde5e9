package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"portico/backend/invitetext"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/portal/esign"
	"portico/backend/portal/invites"
	"portico/backend/portal/mail"
	"portico/backend/portal/peer"
)

type inviteData struct {
	Email, Name, Client string
	Token               string
	Terms               string // the version the checkbox accepts
	Problem             string // why the link does not work, when it does not
	CanAsk              bool   // the person may ask the firm for a new link
	Asked               bool
}

// link finds the invitation behind a link, counting unknown links per address so guessing
// is slow. ok=false means it already answered.
func (w *Web) link(rw http.ResponseWriter, r *http.Request) (db.Invitation, bool) {
	inv, err := w.DB.InvitationByToken(r.Context(), auth.HashToken(r.PathValue("token")))
	if errors.Is(err, db.ErrNotFound) {
		if w.unknownLink(r) {
			w.render(rw, r, http.StatusTooManyRequests, "message", page{Title: "Too many tries",
				Error: "Too many links that do not work were tried from your network. Wait 15 minutes and try again."})
			return db.Invitation{}, false
		}
		w.render(rw, r, http.StatusNotFound, "link", page{Title: "This link does not work", Data: inviteData{
			Problem: "This link is not valid. Check that you opened the whole link from the email, or ask your firm to send you a new invitation."}})
		return inv, false
	}
	if err != nil {
		w.fail(rw, r, err)
		return inv, false
	}
	return inv, true
}

// unknownLink counts a link that matched nothing against the visitor's address and tells
// whether that address has tried too many. A link that works is looked up first and never
// refused for what others tried: tokens are 256 random bits, so the count only spares the
// database, and one shared address (a proxy, an office) must not block its real signers.
func (w *Web) unknownLink(r *http.Request) (tooMany bool) {
	key := limitKey(r)
	if key == "" {
		return false
	}
	if ok, _ := w.links.Allow(key); !ok {
		return true
	}
	w.links.Fail(key)
	return false
}

// limitKey is the address to count failures against, or "" for loopback: behind a reverse
// proxy every request comes from loopback, and one shared count would lock out everyone.
func limitKey(r *http.Request) string {
	if ip := peer.IP(r); !peer.Loopback(ip) {
		return ip
	}
	return ""
}

// problem says why an invitation cannot be accepted, or "".
func (w *Web) problem(inv db.Invitation) string {
	switch {
	case inv.User.State == "removed" || inv.Revoked:
		return "This invitation no longer works: a newer one was sent, or access was removed."
	case inv.Used:
		return "This invitation was already used to create your account."
	case inv.User.State == "active":
		return "Your account is already set up: sign in with your email and password."
	case !w.Now().Before(inv.ExpiresAt):
		return "This invitation has expired."
	}
	return ""
}

func (w *Web) invitePage(rw http.ResponseWriter, r *http.Request) {
	inv, ok := w.link(rw, r)
	if !ok {
		return
	}
	w.showInvite(rw, r, inv, http.StatusOK, "")
}

func (w *Web) showInvite(rw http.ResponseWriter, r *http.Request, inv db.Invitation, status int, errMsg string) {
	client, _ := w.DB.ClientName(r.Context(), inv.FirmID, inv.ClientID)
	d := inviteData{Email: inv.User.Email, Name: inv.User.Name, Client: client, Token: r.PathValue("token"), Terms: TermsVersion}
	if d.Problem = w.problem(inv); d.Problem != "" {
		d.CanAsk = inv.User.State == "invited"
		if status == http.StatusOK {
			status = http.StatusGone
		}
		w.render(rw, r, status, "link", page{Title: "This link does not work", Firm: inv.User.FirmName, Data: d})
		return
	}
	w.render(rw, r, status, "invite", page{Title: "Create your password", Firm: inv.User.FirmName, Error: errMsg, Data: d})
}

func (w *Web) acceptInvite(rw http.ResponseWriter, r *http.Request) {
	inv, ok := w.link(rw, r)
	if !ok {
		return
	}
	if w.problem(inv) != "" {
		w.showInvite(rw, r, inv, http.StatusGone, "")
		return
	}
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	var msg string
	if err := auth.CheckNewPassword(password, inv.User.Email); err != nil {
		msg = err.Error()
	} else if password != confirm {
		msg = "The two passwords are not the same."
	} else if r.PostFormValue("terms") != TermsVersion {
		msg = "Please read and accept the Terms of Service to continue."
	}
	if msg != "" {
		w.showInvite(rw, r, inv, http.StatusUnprocessableEntity, msg)
		return
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	err = w.invites.Accept(r.Context(), inv.ID, hash, db.Acceptance{TermsVersion: TermsVersion, IP: peer.IP(r), UserAgent: r.UserAgent()})
	if errors.Is(err, db.ErrLinkUsed) || errors.Is(err, db.ErrLinkExpired) || errors.Is(err, db.ErrLinkRevoked) {
		// Used in another tab a moment ago, say: show the link page as it now is.
		if inv, ok = w.link(rw, r); ok {
			w.showInvite(rw, r, inv, http.StatusGone, "")
		}
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// The link proved the email address, so this session counts as signed in with it.
	user, err := w.DB.User(r.Context(), inv.User.ID)
	if err == nil {
		err = w.startSession(rw, r, user, true)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/home?welcome=1", http.StatusSeeOther)
}

func (w *Web) askNewLink(rw http.ResponseWriter, r *http.Request) {
	inv, ok := w.link(rw, r)
	if !ok {
		return
	}
	if w.problem(inv) == "" || inv.User.State != "invited" {
		w.showInvite(rw, r, inv, http.StatusOK, "")
		return
	}
	if err := w.invites.AskForNewLink(r.Context(), inv, peer.IP(r), r.UserAgent()); err != nil {
		w.fail(rw, r, err)
		return
	}
	client, _ := w.DB.ClientName(r.Context(), inv.FirmID, inv.ClientID)
	w.render(rw, r, http.StatusOK, "link", page{Title: "We told your firm", Firm: inv.User.FirmName,
		Data: inviteData{Email: inv.User.Email, Client: client, Problem: w.problem(inv), Asked: true}})
}

// Compose writes the mail of a notice the database queued; the mail worker calls it as it
// sends the mail.
func (w *Web) Compose(kind string, data []byte) (mail.Message, error) {
	switch kind {
	case db.NoticeInvite:
		var m invites.InviteMail
		if err := json.Unmarshal(data, &m); err != nil {
			return mail.Message{}, fmt.Errorf("invitation notice: %w", err)
		}
		return w.inviteMail(m), nil
	case db.NoticeSign:
		var m esign.SignMail
		if err := json.Unmarshal(data, &m); err != nil {
			return mail.Message{}, fmt.Errorf("signing notice: %w", err)
		}
		return w.signMail(m), nil
	}
	return mail.Message{}, fmt.Errorf("no mail is written for notices of kind %q", kind)
}

// inviteMail writes the invitation from the staff's template.
func (w *Web) inviteMail(m invites.InviteMail) mail.Message {
	link := w.BaseURL + "/signin"
	if m.Token != "" {
		link = w.BaseURL + "/invite/" + m.Token
	}
	v := invitetext.Vars{Name: m.Invitee.Name, Client: m.ClientName, Firm: m.FirmName, Link: link}
	subject, body := m.Subject, m.Message
	if subject == "" && body == "" {
		subject, body = invitetext.DefaultSubject, invitetext.DefaultBody
	}
	text := invitetext.Render(body, v, true)
	msg, err := w.composeMail(m.FirmName, m.Invitee.Name, m.Invitee.Email, invitetext.Render(subject, v, false), "invite",
		struct {
			Text, Link, Firm, Action string
		}{text, link, m.FirmName, map[bool]string{true: "Create your password", false: "Sign in"}[m.Token != ""]})
	if err != nil {
		// The templates are embedded and tested; should one fail, the plain text still goes.
		w.Log.Error("invitation mail", "err", err)
		return mail.Message{FromName: m.FirmName, ToName: m.Invitee.Name, ToAddr: m.Invitee.Email,
			Subject: invitetext.Render(subject, v, false), Text: text}
	}
	return msg
}
