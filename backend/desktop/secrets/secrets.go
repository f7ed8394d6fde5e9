// Package secrets keeps the desktop's portal credentials in the operating system's keyring
// (Secret Service on Linux, Credential Manager on Windows, Keychain on macOS) and nowhere else.
package secrets

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// Keyring is the part of an OS keyring this package uses.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

// OS is the operating system's keyring.
type OS struct{}

func (OS) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (OS) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (OS) Delete(service, user string) error        { return keyring.Delete(service, user) }

var (
	// ErrNotFound: nothing is stored for that account.
	ErrNotFound = errors.New("no credential stored")
	// ErrUnavailable: the keyring cannot be reached or refused the request.
	ErrUnavailable = errors.New("the system keyring is not available")
)

const service = "Portico"

// Tokens stores device tokens under one account name per desktop install.
type Tokens struct {
	Keyring Keyring
}

func (t Tokens) Get(account string) (string, error) {
	tok, err := t.Keyring.Get(service, account)
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", ErrNotFound
	case err != nil:
		return "", fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return tok, nil
}

func (t Tokens) Set(account, token string) error {
	if err := t.Keyring.Set(service, account, token); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// Delete removes the token; deleting one that is not there is not an error.
func (t Tokens) Delete(account string) error {
	err := t.Keyring.Delete(service, account)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}
