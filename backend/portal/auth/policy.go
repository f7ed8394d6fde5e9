package auth

import (
	_ "embed"
	"errors"
	"strings"
	"unicode/utf8"
)

//go:embed common-passwords.txt
var commonList string

var common = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// Password rules for clients' new passwords.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256 // argon2 takes any length; this keeps requests small
)

// PasswordError says why a new password is refused, in words for the person choosing it.
type PasswordError struct{ Msg string }

func (e *PasswordError) Error() string { return e.Msg }

// CheckNewPassword refuses passwords that are short, very common, or made of the email.
func CheckNewPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return &PasswordError{"Use at least 10 characters."}
	case n > MaxPasswordLen:
		return &PasswordError{"Use at most 256 characters."}
	}
	lower := strings.ToLower(password)
	if common[lower] || common[strings.TrimRight(lower, "!.?")] {
		return &PasswordError{"That password is one of the most common ones; choose another."}
	}
	if allSame(lower) {
		return &PasswordError{"Do not repeat one character; choose another password."}
	}
	// The email, or its name part with only digits and symbols around it, is the first guess.
	email = strings.ToLower(email)
	local, _, _ := strings.Cut(email, "@")
	fromEmail := email != "" && strings.Contains(lower, email)
	if len(local) >= 4 && strings.Contains(lower, local) {
		fromEmail = fromEmail || strings.Trim(strings.Replace(lower, local, "", 1), "0123456789!@#$%^&*._- ") == ""
	}
	if fromEmail {
		return &PasswordError{"Do not build the password from your email address."}
	}
	return nil
}

func allSame(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(r)) == ""
}

// ErrPasswordPolicy lets callers tell policy refusals from other errors.
var ErrPasswordPolicy = errors.New("password refused by policy")

func (e *PasswordError) Is(target error) bool { return target == ErrPasswordPolicy }
