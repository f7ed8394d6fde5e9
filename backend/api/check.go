package api

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Bounds on values people type, checked the same on both sides.
const (
	MaxNameLen  = 200 // a client's or a person's name, in bytes
	MaxEmailLen = 254 // RFC 5321's path limit
	MaxPhoneLen = 40
	MaxPeople   = 50 // people on one client record
	// MaxInvoiceCents bounds every amount and every invoice's total, so no sum of them can
	// overflow an int64.
	MaxInvoiceCents = 1_000_000_000_00
	MaxInvoiceLines = 200
	MaxQuantity     = 1_000_000
)

// CheckLine says what is wrong with a one-line value (a name, a number): it must be valid
// UTF-8 of at most max bytes without control characters, line breaks or NULs, which mail
// headers and PDFs cannot carry. "" is allowed; callers that require a value say so.
func CheckLine(what, s string, max int) error {
	switch {
	case len(s) > max:
		return fmt.Errorf("%s is too long (at most %d characters)", what, max)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s is not valid text", what)
	case strings.ContainsFunc(s, unicode.IsControl):
		return fmt.Errorf("%s must be on one line, without control characters", what)
	}
	return nil
}

// CheckEmail is the one rule for an email address, on both sides: a bare address as
// mail.ParseAddress reads it (no display name, no angle brackets), with a dotted domain as
// mail can actually reach, at most MaxEmailLen bytes.
func CheckEmail(s string) error {
	if len(s) > MaxEmailLen {
		return fmt.Errorf("%q is too long for an email address", s[:40]+"…")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || strings.ContainsFunc(s, unicode.IsControl) {
		return fmt.Errorf("%q is not a valid email address", s)
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return fmt.Errorf("%q is not a valid email address", s)
	}
	return nil
}

// CheckClient says what is wrong with a client record, or "".
func CheckClient(c Client) string {
	if strings.TrimSpace(c.Name) == "" {
		return "client name is required"
	}
	if err := CheckLine("the client's name", c.Name, MaxNameLen); err != nil {
		return err.Error()
	}
	if len(c.People) > MaxPeople {
		return fmt.Sprintf("a client has at most %d people", MaxPeople)
	}
	ids := map[string]bool{}
	for i, p := range c.People {
		switch p.Role {
		case RolePrimary, RoleSpouse, RoleContact:
		default:
			return fmt.Sprintf("person %d: unknown role %q", i+1, p.Role)
		}
		if p.ID == "" || len(p.ID) > 64 || ids[p.ID] {
			return fmt.Sprintf("person %d: missing or repeated id", i+1)
		}
		ids[p.ID] = true
		if err := CheckLine(fmt.Sprintf("person %d's name", i+1), p.Name, MaxNameLen); err != nil {
			return err.Error()
		}
		if err := CheckLine(fmt.Sprintf("person %d's phone", i+1), p.Phone, MaxPhoneLen); err != nil {
			return err.Error()
		}
		if p.Email != "" {
			if err := CheckEmail(p.Email); err != nil {
				return fmt.Sprintf("person %d: %v", i+1, err)
			}
		}
	}
	return ""
}

// CheckInvoice says what is wrong with an invoice, or "". The total is checked line by
// line, so it is bounded before it could overflow.
func CheckInvoice(inv Invoice) string {
	switch {
	case inv.ClientID == "":
		return "an invoice needs a client"
	case strings.TrimSpace(inv.Number) == "" || CheckLine("", inv.Number, 40) != nil:
		return "an invoice needs a number of 1 to 40 characters on one line"
	case !validDate(inv.Date):
		return fmt.Sprintf("invoice date %q is not a date (YYYY-MM-DD)", inv.Date)
	case inv.Due != "" && !validDate(inv.Due):
		return fmt.Sprintf("due date %q is not a date (YYYY-MM-DD)", inv.Due)
	case inv.State != InvoiceOpen && inv.State != InvoiceVoid:
		return fmt.Sprintf("unknown invoice state %q", inv.State)
	case len(inv.Lines) == 0 || len(inv.Lines) > MaxInvoiceLines:
		return fmt.Sprintf("an invoice needs 1 to %d lines", MaxInvoiceLines)
	}
	var total int64
	for i, l := range inv.Lines {
		switch {
		case strings.TrimSpace(l.Description) == "" || len(l.Description) > 500:
			return fmt.Sprintf("line %d needs a description (at most 500 characters)", i+1)
		case l.Quantity <= 0 || l.Quantity > MaxQuantity:
			return fmt.Sprintf("line %d needs a quantity from 1 to %d", i+1, MaxQuantity)
		case l.UnitCents < 0 || l.UnitCents > MaxInvoiceCents:
			return fmt.Sprintf("line %d needs a price of 0 or more, at most %s", i+1, dollars(MaxInvoiceCents))
		}
		if total += l.Quantity * l.UnitCents; total > MaxInvoiceCents {
			return fmt.Sprintf("the invoice total is too large (at most %s)", dollars(MaxInvoiceCents))
		}
	}
	return ""
}

func dollars(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
