package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/db"
	"portico/backend/portal/peer"
	"portico/backend/portal/ratelimit"
)

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	var req api.SignInRequest
	if !readJSON(w, r, 64<<10, &req) {
		return
	}
	email := strings.TrimSpace(req.Email)
	if len(email) > api.MaxEmailLen {
		writeError(w, http.StatusUnauthorized, api.CodeBadCredentials, "wrong email or password")
		return
	}
	ip := peer.IP(r)
	// The email's count is kept per address, so a stranger who knows an address cannot lock
	// its owner out from elsewhere.
	limits := []struct {
		l   *ratelimit.Limiter
		key string
	}{{s.byEmail, ip + " " + strings.ToLower(email)}}
	// Behind a reverse proxy every request comes from loopback: an address limit there would
	// lock out every firm at once, so it only applies to direct peers.
	if !peer.Loopback(ip) {
		limits = append(limits, struct {
			l   *ratelimit.Limiter
			key string
		}{s.byIP, ip})
	}
	for _, lim := range limits {
		if ok, wait := lim.l.Allow(lim.key); !ok {
			minutes := int(wait/time.Minute) + 1
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			writeError(w, http.StatusTooManyRequests, api.CodeLockedOut,
				fmt.Sprintf("too many failed sign-ins; try again in %d minute(s)", minutes))
			return
		}
	}
	staff, firm, hash, err := s.DB.StaffByEmail(r.Context(), email)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		s.internal(w, "sign-in", err)
		return
	}
	ok := false
	if hash == "" {
		auth.Pretend(req.Password)
	} else {
		ok, err = auth.CheckPassword(hash, req.Password)
		if errors.Is(err, auth.ErrBusy) {
			w.Header().Set("Retry-After", "5")
			writeError(w, http.StatusServiceUnavailable, api.CodeBusy, "the portal is busy; try again in a moment")
			return
		}
	}
	if err != nil || !ok || staff.ID == "" {
		s.Log.Info("sign-in refused", "email", email, "ip", ip)
		for _, lim := range limits {
			lim.l.Fail(lim.key)
		}
		writeError(w, http.StatusUnauthorized, api.CodeBadCredentials, "wrong email or password")
		return
	}
	s.byEmail.Reset(limits[0].key)
	name := strings.TrimSpace(req.DeviceName)
	if name == "" {
		name = "desktop"
	}
	token, tokenHash := auth.NewToken()
	if _, err := s.DB.CreateDevice(r.Context(), firm.ID, staff.ID, name, tokenHash); err != nil {
		s.internal(w, "sign-in", err)
		return
	}
	s.Log.Info("device signed in", "firm", firm.ID, "staff", staff.ID, "device", name)
	writeJSON(w, http.StatusCreated, api.SignInResponse{Token: token, Me: api.Me{Firm: firm, Staff: staff}})
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	dev := deviceOf(r)
	if err := s.DB.RevokeDevice(r.Context(), dev.Firm.ID, dev.ID); err != nil {
		s.internal(w, "revoke", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	dev := deviceOf(r)
	writeJSON(w, http.StatusOK, api.Me{Firm: dev.Firm, Staff: dev.Staff})
}
