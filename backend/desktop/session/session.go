// Package session signs this desktop in to a firm's portal and out again. The device token
// lives in the OS keyring only; SQLite keeps the portal address and who signed in.
package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/secrets"
	"portico/backend/desktop/store"
	"portico/backend/desktop/syncer"
)

// StaffName is the name of the staff member signed in on this desktop, "" when signed out.
func (s *Service) StaffName(ctx context.Context) string {
	name, _ := s.Store.Setting(ctx, keyStaffName)
	return name
}

// Status is what Settings shows.
type Status struct {
	SignedIn  bool   `json:"signedIn"`
	PortalURL string `json:"portalURL"`
	Email     string `json:"email"`
	FirmName  string `json:"firmName"`
	StaffName string `json:"staffName"`
	// Problem says why a signed-in desktop is not syncing (the keyring could not be read at
	// start-up, say); "" when all is well.
	Problem string `json:"problem"`
}

// Errors a caller can decide on; their text is what staff read.
var (
	ErrBadCredentials = errors.New("wrong email or password")
	ErrOtherFirm      = errors.New("this desktop already holds another firm's data")
)

// Engine is the part of the sync engine a session drives.
type Engine interface {
	Start(c *syncer.Client)
	Stop()
}

type Service struct {
	Store      *store.Store
	Tokens     secrets.Tokens
	HTTP       *http.Client
	Engine     Engine
	DeviceName string

	mu      sync.Mutex
	problem string
}

func (s *Service) setProblem(msg string) {
	s.mu.Lock()
	s.problem = msg
	s.mu.Unlock()
}

const (
	keyURL       = "portal.url"
	keyEmail     = "portal.email"
	keyFirmID    = "portal.firm_id"
	keyFirmName  = "portal.firm_name"
	keyStaffName = "portal.staff_name"
	keySignedIn  = "portal.signed_in"
	keyAccount   = "device.keyring_account"
)

func (s *Service) Status(ctx context.Context) (Status, error) {
	var st Status
	for key, dst := range map[string]*string{keyURL: &st.PortalURL, keyEmail: &st.Email,
		keyFirmName: &st.FirmName, keyStaffName: &st.StaffName} {
		v, err := s.Store.Setting(ctx, key)
		if err != nil {
			return Status{}, err
		}
		*dst = v
	}
	signedIn, err := s.Store.Setting(ctx, keySignedIn)
	st.SignedIn = signedIn == "1"
	if st.SignedIn {
		s.mu.Lock()
		st.Problem = s.problem
		s.mu.Unlock()
	}
	return st, err
}

// account is this install's name in the keyring, so two installs never share a token.
func (s *Service) account(ctx context.Context) (string, error) {
	acct, err := s.Store.Setting(ctx, keyAccount)
	if err != nil || acct != "" {
		return acct, err
	}
	acct = "device-" + strings.ToLower(ulid.Make().String())
	return acct, s.Store.SetSettings(ctx, map[string]string{keyAccount: acct})
}

// SignIn asks the portal for a device token, keeps it in the keyring and starts syncing.
func (s *Service) SignIn(ctx context.Context, portalURL, email, password string) (Status, error) {
	base, err := syncer.ParseBaseURL(portalURL)
	if err != nil {
		return Status{}, err
	}
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		return Status{}, errors.New("enter your email and password")
	}
	acct, err := s.account(ctx)
	if err != nil {
		return Status{}, err
	}
	c := &syncer.Client{BaseURL: base, HTTP: s.HTTP}
	resp, err := c.SignIn(ctx, email, password, s.DeviceName)
	var se *syncer.StatusError
	if errors.As(err, &se) && se.Code == api.CodeBadCredentials {
		return Status{}, ErrBadCredentials
	}
	if err != nil {
		return Status{}, fmt.Errorf("sign-in failed: %w", err)
	}
	c.Token = resp.Token
	prevFirm, err := s.Store.Setting(ctx, keyFirmID)
	if err != nil {
		return Status{}, err
	}
	if prevFirm != "" && prevFirm != resp.Firm.ID {
		c.Revoke(ctx)
		return Status{}, fmt.Errorf("%w; sign in with an account of that firm", ErrOtherFirm)
	}
	if err := s.Tokens.Set(acct, resp.Token); err != nil {
		// Without the keyring there is nowhere safe to keep the token: give it back.
		c.Revoke(ctx)
		return Status{}, fmt.Errorf("cannot keep you signed in: %w", err)
	}
	err = s.Store.SetSettings(ctx, map[string]string{
		keyURL: base, keyEmail: resp.Staff.Email, keyFirmID: resp.Firm.ID,
		keyFirmName: resp.Firm.Name, keyStaffName: resp.Staff.Name, keySignedIn: "1",
	})
	if err != nil {
		return Status{}, err
	}
	s.setProblem("")
	s.Engine.Start(c)
	return s.Status(ctx)
}

// Resume starts syncing at launch when this desktop was signed in. A missing or unreadable
// token is reported; the app keeps working offline either way.
func (s *Service) Resume(ctx context.Context) error {
	st, err := s.Status(ctx)
	if err != nil || !st.SignedIn {
		return err
	}
	acct, err := s.account(ctx)
	if err != nil {
		return err
	}
	token, err := s.Tokens.Get(acct)
	if errors.Is(err, secrets.ErrNotFound) {
		s.Store.SetSettings(ctx, map[string]string{keySignedIn: ""})
		return errors.New("the portal sign-in was not found in the system keyring; sign in again in Settings")
	}
	if err != nil {
		// The token may still be there once the keyring is unlocked: stay signed in, say why
		// nothing syncs, and let staff sign in again.
		err = fmt.Errorf("Portico cannot read its portal sign-in: %w. Unlock the keyring and restart Portico, or sign in again", err)
		s.setProblem(err.Error())
		return err
	}
	s.Engine.Start(&syncer.Client{BaseURL: st.PortalURL, Token: token, HTTP: s.HTTP})
	return nil
}

// ErrSignedOut is a call that needs the portal from a desktop that is not signed in.
var ErrSignedOut = errors.New("sign in to the portal first (Settings)")

// Client is a client of the portal's API for calls that cannot wait for a sync.
func (s *Service) Client(ctx context.Context) (*syncer.Client, error) {
	st, err := s.Status(ctx)
	if err != nil {
		return nil, err
	}
	if !st.SignedIn {
		return nil, ErrSignedOut
	}
	acct, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	token, err := s.Tokens.Get(acct)
	if err != nil {
		return nil, fmt.Errorf("Portico cannot read its portal sign-in: %w", err)
	}
	return &syncer.Client{BaseURL: st.PortalURL, Token: token, HTTP: s.HTTP}, nil
}

// SignOut stops syncing, deletes the token from the keyring and revokes it on the portal.
// Unsent changes stay in the outbox for the next sign-in.
func (s *Service) SignOut(ctx context.Context) error {
	st, err := s.Status(ctx)
	if err != nil {
		return err
	}
	s.Engine.Stop()
	s.setProblem("")
	acct, err := s.account(ctx)
	if err != nil {
		return err
	}
	token, getErr := s.Tokens.Get(acct)
	delErr := s.Tokens.Delete(acct)
	if err := s.Store.SetSettings(ctx, map[string]string{keySignedIn: ""}); err != nil {
		return err
	}
	var problems []string
	if delErr != nil {
		problems = append(problems, "the sign-in could not be removed from the keyring: "+delErr.Error())
	}
	if getErr == nil && token != "" {
		c := &syncer.Client{BaseURL: st.PortalURL, Token: token, HTTP: s.HTTP}
		var se *syncer.StatusError
		if err := c.Revoke(ctx); err != nil && !(errors.As(err, &se) && se.Status == http.StatusUnauthorized) {
			problems = append(problems, "the portal could not revoke this device: "+err.Error())
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("signed out on this desktop, but %s", strings.Join(problems, "; and "))
	}
	return nil
}
