package api

import (
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
			got := CheckInvoice(Invoice{ClientID: "c", Number: "2026-001", Date: "2026-12-01", State: InvoiceOpen, Lines: tt.lines})
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("CheckInvoice = %q, want %q", got, tt.want)
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
			got := CheckClient(tt.c)
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Fatalf("CheckClient = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckPacketRefusesNamesMailCannotCarry(t *testing.T) {
	p := Packet{ClientID: "c", Title: "Form 8879", SHA256: strings.Repeat("ab", 32), Pages: 1,
		Recipients: []Recipient{{ID: "a", Name: "Ana\nPérez", Email: "ana@example.com"}},
		Fields:     []Field{{ID: "f", Type: FieldSignature, RecipientID: "a", Box: Box{W: .1, H: .1}}}}
	if got := CheckPacket(p); !strings.Contains(got, "one line") {
		t.Fatalf("CheckPacket = %q", got)
	}
}
