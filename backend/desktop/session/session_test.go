package session

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"portico/backend/api"
	"portico/backend/desktop/secrets"
	"portico/backend/desktop/store"
	"portico/backend/desktop/syncer"
)

type lockedKeyring struct{}

func (lockedKeyring) Get(string, string) (string, error) {
	return "", errors.New("org.freedesktop.Secret: locked")
}
func (lockedKeyring) Set(string, string, string) error {
	return errors.New("org.freedesktop.Secret: locked")
}
func (lockedKeyring) Delete(string, string) error {
	return errors.New("org.freedesktop.Secret: locked")
}

type idleEngine struct{ started atomic.Int32 }

func (e *idleEngine) Start(*syncer.Client) { e.started.Add(1) }
func (e *idleEngine) Stop()                {}

// fakePortal answers sign-in for one password and counts revocations.
func fakePortal(t *testing.T, revoked *atomic.Int32) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+api.PathDevices, func(w http.ResponseWriter, r *http.Request) {
		var req api.SignInRequest
		json.NewDecoder(r.Body).Decode(&req)
		if req.Password != "right-password" {
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(api.Error{Error: "wrong email or password", Code: api.CodeBadCredentials})
			return
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(api.SignInResponse{Token: "tok", Me: api.Me{
			Firm: api.Firm{ID: "f1", Name: "Firm"}, Staff: api.Staff{ID: "s1", Name: "S", Email: req.Email}}})
	})
	mux.HandleFunc("DELETE "+api.PathDeviceCurrent, func(w http.ResponseWriter, r *http.Request) {
		revoked.Add(1)
		w.WriteHeader(http.StatusNoContent)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestSignInErrors(t *testing.T) {
	var revoked atomic.Int32
	portal := fakePortal(t, &revoked)
	tests := []struct {
		name, url, password string
		keyring             secrets.Keyring
		want                string
		wantRevoke          bool
	}{
		{"not a URL", "portal", "right-password", lockedKeyring{}, "is not a portal address", false},
		{"wrong password", portal.URL, "wrong", lockedKeyring{}, "wrong email or password", false},
		{"unreachable", "http://127.0.0.1:9", "right-password", lockedKeyring{}, "cannot reach the portal at http://127.0.0.1:9", false},
		{"keyring unavailable", portal.URL, "right-password", lockedKeyring{}, "cannot keep you signed in: the system keyring is not available", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			eng := &idleEngine{}
			s := &Service{Store: st, Tokens: secrets.Tokens{Keyring: tt.keyring}, Engine: eng}
			before := revoked.Load()
			_, err = s.SignIn(context.Background(), tt.url, "a@b.test", tt.password)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("SignIn error %v, want %q", err, tt.want)
			}
			if got := revoked.Load() > before; got != tt.wantRevoke {
				t.Fatalf("token revoked = %v, want %v", got, tt.wantRevoke)
			}
			status, _ := s.Status(context.Background())
			if status.SignedIn || eng.started.Load() != 0 {
				t.Fatalf("a failed sign-in left the desktop signed in: %+v", status)
			}
		})
	}
}

// switchKeyring works until locked, like a keyring the user locks between two launches.
type switchKeyring struct {
	locked bool
	data   map[string]string
}

func (k *switchKeyring) Get(svc, user string) (string, error) {
	if k.locked {
		return "", errors.New("org.freedesktop.Secret: locked")
	}
	return k.data[svc+user], nil
}

func (k *switchKeyring) Set(svc, user, v string) error {
	if k.locked {
		return errors.New("org.freedesktop.Secret: locked")
	}
	k.data[svc+user] = v
	return nil
}

func (k *switchKeyring) Delete(svc, user string) error {
	if k.locked {
		return errors.New("org.freedesktop.Secret: locked")
	}
	delete(k.data, svc+user)
	return nil
}

func TestLockedKeyringAtStartIsExplainedAndSignOutStillWorks(t *testing.T) {
	ctx := context.Background()
	var revoked atomic.Int32
	portal := fakePortal(t, &revoked)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	kr := &switchKeyring{data: map[string]string{}}
	eng := &idleEngine{}
	s := &Service{Store: st, Tokens: secrets.Tokens{Keyring: kr}, Engine: eng}
	if _, err := s.SignIn(ctx, portal.URL, "a@b.test", "right-password"); err != nil {
		t.Fatal(err)
	}

	// Next launch: the keyring is locked.
	kr.locked = true
	s = &Service{Store: st, Tokens: secrets.Tokens{Keyring: kr}, Engine: eng}
	if err := s.Resume(ctx); err == nil {
		t.Fatal("Resume with a locked keyring did not fail")
	}
	status, _ := s.Status(ctx)
	if !status.SignedIn || !strings.Contains(status.Problem, "cannot read its portal sign-in") || eng.started.Load() != 1 {
		t.Fatalf("status with a locked keyring: %+v (engine started %d times)", status, eng.started.Load())
	}

	err = s.SignOut(ctx)
	if err == nil || !strings.Contains(err.Error(), "signed out on this desktop, but the sign-in could not be removed from the keyring") {
		t.Fatalf("SignOut with a locked keyring: %v", err)
	}
	if status, _ := s.Status(ctx); status.SignedIn || status.Problem != "" {
		t.Fatalf("status after sign-out: %+v", status)
	}
}
