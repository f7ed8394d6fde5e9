// Package server is portald's HTTP side: the health check and the desktops' sync API.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"portico/backend/api"
	"portico/backend/portal/auth"
	"portico/backend/portal/blobs"
	"portico/backend/portal/db"
	"portico/backend/portal/ratelimit"
)

// Sign-in lockout: after SignInFailures failures within SignInWindow for one email (or
// four times that from one address), further tries are refused until the window passes.
var (
	SignInFailures = 5
	SignInWindow   = 15 * time.Minute
)

type Server struct {
	DB    *db.DB
	Log   *slog.Logger
	Pages http.Handler // the clients' web pages (package web); nil: API only
	// Blobs holds file contents; nil: the portal takes no files.
	Blobs       *blobs.Store
	MaxFileSize int64 // 0: api.MaxFileSize
	// Seals is the firms' sealing certificates; nil: the portal does not seal.
	Seals FirmSeals
	// InviteTTL is how long an invitation link works; 0: invites.DefaultTTL.
	InviteTTL time.Duration

	feed     feed
	byEmail  *ratelimit.Limiter // failed sign-ins per email
	byIP     *ratelimit.Limiter // and per address, which may try several emails
	stopOnce sync.Once
	stopping chan struct{}
}

func New(d *db.DB, log *slog.Logger) *Server {
	s := &Server{DB: d, Log: log, stopping: make(chan struct{}),
		byEmail: ratelimit.New(SignInFailures, SignInWindow), byIP: ratelimit.New(4*SignInFailures, SignInWindow)}
	d.Changed = s.feed.changed
	return s
}

// Stopping makes long polls answer at once so a graceful shutdown does not wait for them.
func (s *Server) Stopping() { s.stopOnce.Do(func() { close(s.stopping) }) }

func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	if s.Blobs != nil {
		up, err := s.uploads()
		if err != nil {
			panic(err) // only a bad configuration of the tus handler, fixed in code
		}
		mux.Handle(api.PathUploads, up)
		mux.Handle("GET "+api.PathBlobs+"{sha}", s.device(s.blob))
	}
	if s.Seals != nil {
		mux.Handle("GET "+api.PathSeal, s.device(s.sealCert))
		mux.Handle("PUT "+api.PathSeal, s.device(s.uploadSeal))
	}
	mux.HandleFunc("GET "+api.PathHealth, s.health)
	mux.HandleFunc("POST "+api.PathDevices, s.signIn)
	mux.Handle("DELETE "+api.PathDeviceCurrent, s.device(s.revoke))
	mux.Handle("GET "+api.PathMe, s.device(s.me))
	mux.Handle("POST "+api.PathOps, s.device(s.push))
	mux.Handle("GET "+api.PathChanges, s.device(s.changes))
	if s.Pages != nil {
		mux.Handle("/", s.Pages)
	}
	return securityHeaders(mux)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if err := s.DB.Ping(r.Context()); err != nil {
		s.Log.Error("health: database", "err", err)
		writeError(w, http.StatusServiceUnavailable, "", "database unreachable")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

type deviceKey struct{}

// device admits requests bearing a live device token.
func (s *Server) device(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			writeError(w, http.StatusUnauthorized, api.CodeUnauthorized, "sign in first")
			return
		}
		dev, err := s.DB.DeviceByToken(r.Context(), auth.HashToken(token))
		if errors.Is(err, db.ErrNotFound) {
			writeError(w, http.StatusUnauthorized, api.CodeUnauthorized, "this device is not signed in")
			return
		}
		if err != nil {
			s.internal(w, "device lookup", err)
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), deviceKey{}, dev)))
	})
}

func deviceOf(r *http.Request) db.Device { return r.Context().Value(deviceKey{}).(db.Device) }

func (s *Server) internal(w http.ResponseWriter, what string, err error) {
	s.Log.Error(what, "err", err)
	writeError(w, http.StatusInternalServerError, "", "internal error")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, api.Error{Error: msg, Code: code})
}

// readJSON decodes a size-limited JSON body; false means it already answered 400.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, api.CodeBadRequest, "bad request body: "+err.Error())
		return false
	}
	return true
}
