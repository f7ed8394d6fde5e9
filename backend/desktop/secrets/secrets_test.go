package secrets

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/zalando/go-keyring"

	"portico/backend/testkit/testtool"
)

type emptyKeyring struct{}

func (emptyKeyring) Get(string, string) (string, error) { return "", keyring.ErrNotFound }
func (emptyKeyring) Set(string, string, string) error   { return nil }
func (emptyKeyring) Delete(string, string) error        { return keyring.ErrNotFound }

type brokenKeyring struct{}

func (brokenKeyring) Get(string, string) (string, error) {
	return "", errors.New("dbus: no session bus")
}
func (brokenKeyring) Set(string, string, string) error { return errors.New("dbus: no session bus") }
func (brokenKeyring) Delete(string, string) error      { return errors.New("dbus: no session bus") }

func TestTokensMapErrors(t *testing.T) {
	tok := Tokens{Keyring: emptyKeyring{}}
	if _, err := tok.Get("nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing token: %v, want ErrNotFound", err)
	}
	if err := tok.Delete("nobody"); err != nil {
		t.Fatalf("Delete of a missing token: %v", err)
	}
	broken := Tokens{Keyring: brokenKeyring{}}
	if _, err := broken.Get("a"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Get: %v, want ErrUnavailable", err)
	}
	if err := broken.Set("a", "b"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set: %v, want ErrUnavailable", err)
	}
}

// TestOSKeyringRoundTrip uses the real Secret Service. make test runs it inside a
// dbus-run-session with an unlocked gnome-keyring (scripts/with-keyring.sh).
func TestOSKeyringRoundTrip(t *testing.T) {
	if os.Getenv("PORTICO_REAL_KEYRING") == "" {
		if testtool.Required() {
			t.Fatal("make test runs this inside scripts/with-keyring.sh, which sets PORTICO_REAL_KEYRING")
		}
		t.Skip("PORTICO_REAL_KEYRING not set: run under scripts/with-keyring.sh")
	}
	tok := Tokens{Keyring: OS{}}
	account := fmt.Sprintf("test-%d", os.Getpid())
	if err := tok.Set(account, "s3cret"); err != nil {
		t.Fatal(err)
	}
	got, err := tok.Get(account)
	if err != nil || got != "s3cret" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := tok.Delete(account); err != nil {
		t.Fatal(err)
	}
	if _, err := tok.Get(account); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after Delete: %v, want ErrNotFound", err)
	}
}
