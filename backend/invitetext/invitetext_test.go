package invitetext

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, subject, body, wantErr string
	}{
		{"default", DefaultSubject, DefaultBody, ""},
		{"no placeholders", "Portal", "Welcome", ""},
		{"empty subject", " ", "x", "subject is empty"},
		{"two-line subject", "a\nb", "x", "one line"},
		{"empty body", "s", "\n", "message is empty"},
		{"unknown placeholder", "s", "Hi {first_name}", "unknown placeholder {first_name}"},
		{"link in subject", "{link}", "x", "not the subject"},
		{"long subject", strings.Repeat("x", MaxSubject+1), "x", "subject is too long"},
		{"long body", "s", strings.Repeat("x", MaxBody+1), "message is too long"},
		{"braces that are not placeholders", "s", "Costs {1,000} and {} stay", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.subject, tt.body)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Check = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestRender(t *testing.T) {
	v := Vars{Name: "Ana", Client: "Ana & Luis Pérez", Firm: "Fiscal {Ltd}", Link: "https://p.example/invite/abc"}
	tests := []struct {
		name, text string
		body       bool
		want       string
	}{
		{"all", "{name}/{client}/{firm}/{link}", true, "Ana/Ana & Luis Pérez/Fiscal {Ltd}/https://p.example/invite/abc"},
		// A value that looks like a placeholder is not expanded again.
		{"no second pass", "{firm}", false, "Fiscal {Ltd}"},
		{"body without link gets it", "Hello {name}\n", true, "Hello Ana\n\nhttps://p.example/invite/abc\n"},
		{"subject without link stays", "Hello", false, "Hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Render(tt.text, v, tt.body); got != tt.want {
				t.Fatalf("Render = %q, want %q", got, tt.want)
			}
		})
	}
}
