package auth

import (
	"errors"
	"testing"
)

func TestCheckNewPassword(t *testing.T) {
	tests := []struct {
		password, email string
		ok              bool
	}{
		{"short1!", "a@b.test", false},
		{"123456789", "a@b.test", false},
		{"1234567890", "a@b.test", false},
		{"Password123", "a@b.test", false}, // case-insensitive
		{"qwertyuiop", "a@b.test", false},
		{"Summer2025!", "a@b.test", false},
		{"zzzzzzzzzzzz", "a@b.test", false},
		{"annsmith1990", "annsmith@x.test", false},
		{"my annsmith@x.test", "annsmith@x.test", false},
		{"correct horse battery staple", "ann@x.test", true},
		{"Tax season 2026 is over", "ann@x.test", true},
		{"пароль-для-портала", "ann@x.test", true},
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			err := CheckNewPassword(tt.password, tt.email)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckNewPassword(%q) = %v, want ok=%v", tt.password, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrPasswordPolicy) {
				t.Fatalf("error %v is not a policy error", err)
			}
		})
	}
}
