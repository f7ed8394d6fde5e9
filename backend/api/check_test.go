package api

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckInvoiceBoundsTheTotal(t *testing.T) {
	line := InvoiceLine{Description: "Advisory", Quantity: MaxQuantity, UnitCents: MaxInvoiceCents}
	many := make([]InvoiceLine, 100) // each line within its limits; their sum wraps an int64
	for i := range many {
		many[i] = line
	}
	tests := []struct {
		name  string
		lines []InvoiceLine
		want  string
	}{
		{"a plain invoice", []InvoiceLine{{Description: "1040", Quantity: 1, UnitCents: 45000}}, ""},
		{"100 lines that overflow together", many, "total is too large"},
		{"one line over the total", []InvoiceLine{line}, "total is too large"},
		{"a negative price", []InvoiceLine{{Description: "x", Quantity: 1, UnitCents: -1}}, "price of 0 or more"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reason(t, Invoice{ClientID: "c", Number: "2026-001", Date: "2026-12-01", State: InvoiceOpen, Lines: tt.lines}.Check())
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("Invoice.Check = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckClientRefusesUnsendableValues(t *testing.T) {
	person := func(name, email string) Client {
		return Client{Name: "Pérez household", People: []Person{{ID: "p1", Role: RolePrimary, Name: name, Email: email}}}
	}
	tests := []struct {
		name string
		c    Client
		want string
	}{
		{"a real client", person("Ana Pérez", "ana@example.com"), ""},
		{"a non-Latin name", person("Катерина Бойко", "kat@example.com"), ""},
		{"an 8 MiB name", Client{Name: strings.Repeat("a", 8<<20)}, "too long"},
		{"a NUL in the name", Client{Name: "Ana\x00Pérez"}, "one line"},
		{"a line break in a person's name", person("Ana\r\nBcc: x@evil.test", "ana@example.com"), "one line"},
		{"an invalid email", person("Ana", "ana at example"), "is not a valid email address"},
		{"a display name for an email", person("Ana", "Ana <ana@example.com>"), "is not a valid email address"},
		{"invalid UTF-8", person("Ana\xff", "ana@example.com"), "not valid text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reason(t, tt.c.Check())
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("Client.Check = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckPacketRefusesNamesMailCannotCarry(t *testing.T) {
	p := Packet{ClientID: "c", Title: "Form 8879", SHA256: strings.Repeat("ab", 32), Pages: 1,
		Recipients: []Recipient{{ID: "a", Name: "Ana\nPérez", Email: "ana@example.com"}},
		Fields:     []Field{{ID: "f", Type: FieldSignature, RecipientID: "a", Box: Box{W: .1, H: .1}}}}
	if got := reason(t, p.Check()); !strings.Contains(got, "one line") {
		t.Fatalf("Packet.Check = %q", got)
	}
}

// reason is a Check's refusal in words, "" for none; a refusal is always an *Invalid.
func reason(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	if inv := (*Invalid)(nil); !errors.As(err, &inv) {
		t.Fatalf("%v is a %T, not an *Invalid", err, err)
	}
	return err.Error()
}

func TestEveryOpTypeHasItsRule(t *testing.T) {
	tests := []struct {
		name string
		v    interface{ Check() error }
		want string
	}{
		{"a to-do", Todo{ClientID: "c", Title: "Sign 8879", State: TodoOpen}, ""},
		{"a to-do without a title", Todo{ClientID: "c", State: TodoOpen}, "title"},
		{"a to-do in no state", Todo{ClientID: "c", Title: "x"}, "unknown to-do state"},
		{"a payment", Payment{ClientID: "c", Date: "2026-12-01", AmountCents: 100}, ""},
		{"a payment over the bound", Payment{ClientID: "c", Date: "2026-12-01", AmountCents: MaxInvoiceCents + 1}, "amount"},
		{"an invitation", Invite{People: []Invitee{{Name: "Ana", Email: "ana@example.com"}}}, ""},
		{"an invitation to nobody", Invite{}, "invite 1 to"},
		{"an invitation twice", Invite{People: []Invitee{{Name: "A", Email: "a@example.com"}, {Name: "B", Email: "A@example.com"}}}, "invited twice"},
		{"a removal", Revoke{Email: "ana@example.com"}, ""},
		{"a removal of no address", Revoke{Email: "ana"}, "not a valid email"},
		{"a void", PacketVoid{Reason: "wrong year"}, ""},
		{"a void with an essay", PacketVoid{Reason: strings.Repeat("x", 501)}, "at most 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reason(t, tt.v.Check())
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("Check = %q, want %q", got, tt.want)
			}
		})
	}
}

// The one email rule, the UI's recipient form included (it asks Go through ESign.CheckEmail).
func TestCheckEmail(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"jane@x.test", true},
		{"ana.perez+tax@example.co.uk", true},
		{"jane", false},
		{"jane @x.test", false},
		{"<jane@x.test>", false},
		{"Jane <jane@x.test>", false},
		{"jane@localhost", false},
		{"jane@x.test.", false},
		{"jane@x.test\r\nBcc: x@evil.test", false},
		{strings.Repeat("a", 250) + "@x.test", false},
	}
	for _, tt := range tests {
		if got := reason(t, CheckEmail(tt.in)); (got == "") != tt.ok {
			t.Errorf("CheckEmail(%q) = %q, want ok %v", tt.in, got, tt.ok)
		}
	}
}
