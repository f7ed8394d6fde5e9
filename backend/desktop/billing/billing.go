// Package billing is the staff side of a client's invoices and payments: writing them with
// their outbox ops, and applying the portal's feed.
package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"portico/backend/api"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

type Service struct {
	Store *store.Store
	Now   func() time.Time
	Wake  func()
}

// Account is a client's billing as the Billing tab shows it.
type Account struct {
	Invoices     []store.Invoice `json:"invoices"`
	Payments     []store.Payment `json:"payments"`
	BalanceCents int64           `json:"balanceCents"`
	NextNumber   string          `json:"nextNumber"`
}

// ForClient returns a client's invoices, payments and balance (invoiced and not void, less
// paid), and the number a new invoice would get.
func (s *Service) ForClient(ctx context.Context, clientID string) (Account, error) {
	var a Account
	var err error
	if a.Invoices, err = s.Store.InvoicesOfClient(ctx, clientID); err != nil {
		return a, err
	}
	if a.Payments, err = s.Store.PaymentsOfClient(ctx, clientID); err != nil {
		return a, err
	}
	for _, inv := range a.Invoices {
		if inv.State == api.InvoiceOpen {
			a.BalanceCents += inv.TotalCents
		}
	}
	for _, p := range a.Payments {
		a.BalanceCents -= p.AmountCents
	}
	a.NextNumber, err = s.Store.NextInvoiceNumber(ctx, s.Now().Year())
	return a, err
}

// InvoiceInput is a new invoice.
type InvoiceInput struct {
	ClientID string            `json:"clientId"`
	Number   string            `json:"number"`
	Date     string            `json:"date"`
	Due      string            `json:"due"`
	Lines    []api.InvoiceLine `json:"lines"`
}

func checkDate(what, s string, required bool) error {
	if s == "" && !required {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return invalid.New("the %s %q is not a date", what, s)
	}
	return nil
}

// CreateInvoice checks and queues a new invoice.
func (s *Service) CreateInvoice(ctx context.Context, in InvoiceInput) (store.Invoice, error) {
	inv := store.Invoice{ID: ulid.Make().String(), Invoice: api.Invoice{ClientID: in.ClientID,
		Number: strings.TrimSpace(in.Number), Date: in.Date, Due: in.Due, State: api.InvoiceOpen}}
	if inv.Number == "" || len(inv.Number) > 40 {
		return inv, invalid.New("give the invoice a number (at most 40 characters)")
	}
	if err := checkDate("invoice date", in.Date, true); err != nil {
		return inv, err
	}
	if err := checkDate("due date", in.Due, false); err != nil {
		return inv, err
	}
	for i, l := range in.Lines {
		l.Description = strings.TrimSpace(l.Description)
		if l.Description == "" && l.Quantity == 0 && l.UnitCents == 0 {
			continue // an empty row of the form
		}
		switch {
		case l.Description == "":
			return inv, invalid.New("line %d needs a description", i+1)
		case l.Quantity <= 0:
			return inv, invalid.New("line %d needs a quantity above 0", i+1)
		case l.UnitCents < 0:
			return inv, invalid.New("line %d has a negative price", i+1)
		}
		inv.Lines = append(inv.Lines, l)
	}
	if len(inv.Lines) == 0 {
		return inv, invalid.New("add at least one line to the invoice")
	}
	// The portal's rule, so an invoice made offline is never refused at sync.
	if err := inv.Invoice.Check(); err != nil {
		return inv, err
	}
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Client(ctx, in.ClientID); err != nil {
			return fmt.Errorf("client %s: %w", in.ClientID, err)
		}
		return s.putInvoice(ctx, tx, &inv)
	})
	if err != nil {
		return inv, err
	}
	s.wake()
	return inv, nil
}

// VoidInvoice cancels an invoice; it stays on record, crossed out.
func (s *Service) VoidInvoice(ctx context.Context, id string) error {
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		inv, err := tx.Invoice(ctx, id)
		if err != nil {
			return fmt.Errorf("invoice %s: %w", id, err)
		}
		if inv.PaidCents > 0 {
			return invalid.New("invoice %s has payments; remove them before voiding it", inv.Number)
		}
		inv.State = api.InvoiceVoid
		return s.putInvoice(ctx, tx, &inv)
	})
	if err == nil {
		s.wake()
	}
	return err
}

func (s *Service) putInvoice(ctx context.Context, tx *store.Tx, inv *store.Invoice) error {
	inv.UpdatedAt = s.Now()
	if err := tx.PutInvoice(ctx, *inv); err != nil {
		return err
	}
	return tx.Queue(ctx, api.KindInvoicePut, inv.ID, inv.Invoice, inv.UpdatedAt)
}

// PaymentInput is money received.
type PaymentInput struct {
	ClientID    string `json:"clientId"`
	InvoiceID   string `json:"invoiceId"`
	Date        string `json:"date"`
	AmountCents int64  `json:"amountCents"`
	Method      string `json:"method"`
}

// RecordPayment checks and queues a payment, against an invoice of the same client or on account.
func (s *Service) RecordPayment(ctx context.Context, in PaymentInput) (store.Payment, error) {
	p := store.Payment{ID: ulid.Make().String(), Payment: api.Payment{ClientID: in.ClientID, InvoiceID: in.InvoiceID,
		Date: in.Date, AmountCents: in.AmountCents, Method: strings.TrimSpace(in.Method)}}
	if err := checkDate("payment date", in.Date, true); err != nil {
		return p, err
	}
	if in.AmountCents <= 0 {
		return p, invalid.New("enter an amount above 0")
	}
	err := s.Store.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Client(ctx, in.ClientID); err != nil {
			return fmt.Errorf("client %s: %w", in.ClientID, err)
		}
		if in.InvoiceID != "" {
			inv, err := tx.Invoice(ctx, in.InvoiceID)
			if errors.Is(err, store.ErrNotFound) || (err == nil && inv.ClientID != in.ClientID) {
				return invalid.New("that invoice is not one of this client's")
			}
			if err != nil {
				return err
			}
			if inv.State == api.InvoiceVoid {
				return invalid.New("invoice %s is void", inv.Number)
			}
		}
		p.UpdatedAt = s.Now()
		if err := tx.PutPayment(ctx, p); err != nil {
			return err
		}
		return tx.Queue(ctx, api.KindPaymentPut, p.ID, p.Payment, p.UpdatedAt)
	})
	if err != nil {
		return p, err
	}
	s.wake()
	return p, nil
}

// Apply writes an invoice or a payment from the portal's feed.
func (s *Service) Apply(ctx context.Context, tx *store.Tx, ch api.Change) error {
	switch ch.Kind {
	case api.KindInvoicePut:
		var inv api.Invoice
		if err := json.Unmarshal(ch.Data, &inv); err != nil {
			return fmt.Errorf("change %d: %w", ch.Seq, err)
		}
		return tx.PutInvoice(ctx, store.Invoice{ID: ch.EntityID, Invoice: inv, UpdatedAt: ch.At})
	case api.KindPaymentPut:
		var p api.Payment
		if err := json.Unmarshal(ch.Data, &p); err != nil {
			return fmt.Errorf("change %d: %w", ch.Seq, err)
		}
		return tx.PutPayment(ctx, store.Payment{ID: ch.EntityID, Payment: p, UpdatedAt: ch.At})
	}
	return fmt.Errorf("billing: unknown change kind %q", ch.Kind)
}

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}
