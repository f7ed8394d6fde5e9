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

// Invalid is a value a Check refused, in words for the person who entered it. An op that
// carries one is refused for good: sending it again cannot help.
type Invalid struct{ Msg string }

func (e *Invalid) Error() string { return e.Msg }

func invalid(format string, args ...any) error {
	return &Invalid{Msg: fmt.Sprintf(format, args...)}
}

// CheckLine says what is wrong with a one-line value (a name, a number): it must be valid
// UTF-8 of at most max bytes without control characters, line breaks or NULs, which mail
// headers and PDFs cannot carry. "" is allowed; callers that require a value say so.
func CheckLine(what, s string, max int) error {
	switch {
	case len(s) > max:
		return invalid("%s is too long (at most %d characters)", what, max)
	case !utf8.ValidString(s):
		return invalid("%s is not valid text", what)
	case strings.ContainsFunc(s, unicode.IsControl):
		return invalid("%s must be on one line, without control characters", what)
	}
	return nil
}

// CheckEmail is the one rule for an email address, on both sides: a bare address as
// mail.ParseAddress reads it (no display name, no angle brackets), with a dotted domain as
// mail can actually reach, at most MaxEmailLen bytes.
func CheckEmail(s string) error {
	if len(s) > MaxEmailLen {
		return invalid("%q is too long for an email address", s[:40]+"…")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || strings.ContainsFunc(s, unicode.IsControl) {
		return invalid("%q is not a valid email address", s)
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return invalid("%q is not a valid email address", s)
	}
	return nil
}

// Check says what is wrong with a client record.
func (c Client) Check() error {
	if strings.TrimSpace(c.Name) == "" {
		return invalid("client name is required")
	}
	if err := CheckLine("the client's name", c.Name, MaxNameLen); err != nil {
		return err
	}
	if len(c.People) > MaxPeople {
		return invalid("a client has at most %d people", MaxPeople)
	}
	ids := map[string]bool{}
	for i, p := range c.People {
		switch p.Role {
		case RolePrimary, RoleSpouse, RoleContact:
		default:
			return invalid("person %d: unknown role %q", i+1, p.Role)
		}
		if p.ID == "" || len(p.ID) > 64 || ids[p.ID] {
			return invalid("person %d: missing or repeated id", i+1)
		}
		ids[p.ID] = true
		if err := CheckLine(fmt.Sprintf("person %d's name", i+1), p.Name, MaxNameLen); err != nil {
			return err
		}
		if err := CheckLine(fmt.Sprintf("person %d's phone", i+1), p.Phone, MaxPhoneLen); err != nil {
			return err
		}
		if p.Email != "" {
			if err := CheckEmail(p.Email); err != nil {
				return invalid("person %d: %v", i+1, err)
			}
		}
	}
	return nil
}

// Check says what is wrong with an invoice. The total is checked line by
// line, so it is bounded before it could overflow.
func (inv Invoice) Check() error {
	switch {
	case inv.ClientID == "":
		return invalid("an invoice needs a client")
	case strings.TrimSpace(inv.Number) == "" || CheckLine("", inv.Number, 40) != nil:
		return invalid("an invoice needs a number of 1 to 40 characters on one line")
	case !validDate(inv.Date):
		return invalid("invoice date %q is not a date (YYYY-MM-DD)", inv.Date)
	case inv.Due != "" && !validDate(inv.Due):
		return invalid("due date %q is not a date (YYYY-MM-DD)", inv.Due)
	case inv.State != InvoiceOpen && inv.State != InvoiceVoid:
		return invalid("unknown invoice state %q", inv.State)
	case len(inv.Lines) == 0 || len(inv.Lines) > MaxInvoiceLines:
		return invalid("an invoice needs 1 to %d lines", MaxInvoiceLines)
	}
	var total int64
	for i, l := range inv.Lines {
		switch {
		case strings.TrimSpace(l.Description) == "" || len(l.Description) > 500:
			return invalid("line %d needs a description (at most 500 characters)", i+1)
		case l.Quantity <= 0 || l.Quantity > MaxQuantity:
			return invalid("line %d needs a quantity from 1 to %d", i+1, MaxQuantity)
		case l.UnitCents < 0 || l.UnitCents > MaxInvoiceCents:
			return invalid("line %d needs a price of 0 or more, at most %s", i+1, dollars(MaxInvoiceCents))
		}
		if total += l.Quantity * l.UnitCents; total > MaxInvoiceCents {
			return invalid("the invoice total is too large (at most %s)", dollars(MaxInvoiceCents))
		}
	}
	return nil
}

func dollars(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// Check says what is wrong with a to-do.
func (t Todo) Check() error {
	switch {
	case t.ClientID == "":
		return invalid("a to-do needs a client")
	case strings.TrimSpace(t.Title) == "" || len(t.Title) > 200:
		return invalid("a to-do needs a title of 1 to 200 characters")
	case len(t.Description) > 10000:
		return invalid("the description is too long (at most 10,000 characters)")
	case t.Due != "" && !validDate(t.Due):
		return invalid("due date %q is not a date (YYYY-MM-DD)", t.Due)
	case t.State != TodoOpen && t.State != TodoDone:
		return invalid("unknown to-do state %q", t.State)
	}
	return nil
}

// Check says what is wrong with a payment.
func (p Payment) Check() error {
	switch {
	case p.ClientID == "":
		return invalid("a payment needs a client")
	case !validDate(p.Date):
		return invalid("payment date %q is not a date (YYYY-MM-DD)", p.Date)
	case p.AmountCents <= 0 || p.AmountCents > MaxInvoiceCents:
		return invalid("a payment needs an amount above 0")
	case len(p.Method) > 100:
		return invalid("the payment method is too long")
	}
	return nil
}

// MaxInvitees bounds one invitation: a client's people and a few others.
const MaxInvitees = 50

// Check says what is wrong with whom an invitation goes to. Its subject and message are
// the invitation text's to check (package invitetext), once a default is filled in.
func (inv Invite) Check() error {
	if len(inv.People) == 0 || len(inv.People) > MaxInvitees {
		return invalid("invite 1 to %d people at a time", MaxInvitees)
	}
	seen := map[string]bool{}
	for i, p := range inv.People {
		if strings.TrimSpace(p.Name) == "" {
			return invalid("person %d: a name is required", i+1)
		}
		if err := CheckLine(fmt.Sprintf("person %d's name", i+1), p.Name, MaxNameLen); err != nil {
			return err
		}
		if err := CheckEmail(p.Email); err != nil {
			return invalid("person %d: %v", i+1, err)
		}
		key := strings.ToLower(p.Email)
		if seen[key] {
			return invalid("%s is invited twice", p.Email)
		}
		seen[key] = true
	}
	return nil
}

// Check says what is wrong with a removal of access.
func (rv Revoke) Check() error { return CheckEmail(rv.Email) }

// Check says what is wrong with the voiding of a packet.
func (v PacketVoid) Check() error {
	if len(v.Reason) > 500 {
		return invalid("the reason is at most 500 characters")
	}
	return nil
}
