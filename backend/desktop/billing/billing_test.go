package billing

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/backend/api"
	"portico/backend/desktop/clients"
	"portico/backend/desktop/invalid"
	"portico/backend/desktop/store"
)

// newBilling is billing and the client book over one store in a temporary folder, on a
// fixed clock.
func newBilling(t *testing.T) (*store.Store, *Service, *clients.Service) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clock := func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
	return st, &Service{Store: st, Now: clock}, &clients.Service{Store: st, Now: clock}
}

func TestInvoicesPaymentsAndBalance(t *testing.T) {
	ctx := context.Background()
	_, s, cs := newBilling(t)
	ana, _ := cs.Create(ctx, clients.Input{Name: "Ana"})
	zed, _ := cs.Create(ctx, clients.Input{Name: "Zed"})

	bad := []struct {
		in   InvoiceInput
		want string
	}{
		{InvoiceInput{ClientID: ana.ID, Date: "2026-11-27", Lines: []api.InvoiceLine{{Description: "x", Quantity: 1}}}, "give the invoice a number"},
		{InvoiceInput{ClientID: ana.ID, Number: "1", Date: "27/11/2026", Lines: []api.InvoiceLine{{Description: "x", Quantity: 1}}}, "is not a date"},
		{InvoiceInput{ClientID: ana.ID, Number: "1", Date: "2026-11-27"}, "at least one line"},
		{InvoiceInput{ClientID: ana.ID, Number: "1", Date: "2026-11-27", Lines: []api.InvoiceLine{{Quantity: 1, UnitCents: 5}}}, "line 1 needs a description"},
		{InvoiceInput{ClientID: ana.ID, Number: "1", Date: "2026-11-27", Lines: []api.InvoiceLine{{Description: "x", Quantity: 0, UnitCents: 5}}}, "quantity above 0"},
	}
	for _, tt := range bad {
		_, err := s.CreateInvoice(ctx, tt.in)
		var inv *invalid.Error
		if !errors.As(err, &inv) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CreateInvoice(%+v) = %v, want %q", tt.in, err, tt.want)
		}
	}
	acct, _ := s.ForClient(ctx, ana.ID)
	if acct.NextNumber != "2026-001" {
		t.Fatalf("next number %q", acct.NextNumber)
	}
	inv, err := s.CreateInvoice(ctx, InvoiceInput{ClientID: ana.ID, Number: acct.NextNumber, Date: "2026-11-27", Lines: []api.InvoiceLine{
		{Description: "1040", Quantity: 1, UnitCents: 45000}, {}, {Description: "State", Quantity: 2, UnitCents: 7550}}})
	if err != nil || len(inv.Lines) != 2 {
		t.Fatalf("CreateInvoice = %+v, %v", inv, err)
	}
	zedInv, _ := s.CreateInvoice(ctx, InvoiceInput{ClientID: zed.ID, Number: "2026-002", Date: "2026-11-27", Lines: []api.InvoiceLine{{Description: "x", Quantity: 1, UnitCents: 100}}})
	if _, err := s.RecordPayment(ctx, PaymentInput{ClientID: ana.ID, InvoiceID: zedInv.ID, Date: "2026-11-27", AmountCents: 100}); err == nil {
		t.Fatal("a payment against another client's invoice was accepted")
	}
	if _, err := s.RecordPayment(ctx, PaymentInput{ClientID: ana.ID, Date: "2026-11-27", AmountCents: 0}); err == nil {
		t.Fatal("a zero payment was accepted")
	}
	if _, err := s.RecordPayment(ctx, PaymentInput{ClientID: ana.ID, InvoiceID: inv.ID, Date: "2026-11-28", AmountCents: 60100, Method: "Card"}); err != nil {
		t.Fatal(err)
	}
	acct, _ = s.ForClient(ctx, ana.ID)
	if acct.BalanceCents != 0 || len(acct.Invoices) != 1 || acct.Invoices[0].Shown != api.InvoicePaid || acct.NextNumber != "2026-003" {
		t.Fatalf("after payment: %+v", acct)
	}
	if err := s.VoidInvoice(ctx, inv.ID); err == nil {
		t.Fatal("a paid invoice was voided")
	}
	if err := s.VoidInvoice(ctx, zedInv.ID); err != nil {
		t.Fatal(err)
	}
	if z, _ := s.ForClient(ctx, zed.ID); z.BalanceCents != 0 || z.Invoices[0].Shown != api.InvoiceVoid {
		t.Fatalf("void: %+v", z)
	}
}

// What the portal would refuse at sync is refused when staff save it, and nothing is queued.
func TestPortalRulesApplyBeforeQueueing(t *testing.T) {
	ctx := context.Background()
	st, s, cs := newBilling(t)
	ana, err := cs.Create(ctx, clients.Input{Name: "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := st.PendingOps(ctx, 100)
	_, err = s.RecordPayment(ctx, PaymentInput{ClientID: ana.ID, Date: "2026-11-27", AmountCents: api.MaxInvoiceCents + 1})
	var inv *invalid.Error
	if !errors.As(err, &inv) || !strings.Contains(err.Error(), "amount") {
		t.Fatalf("RecordPayment over the portal's bound = %v, want the portal's rule", err)
	}
	lines := make([]api.InvoiceLine, api.MaxInvoiceLines+1)
	for i := range lines {
		lines[i] = api.InvoiceLine{Description: "x", Quantity: 1, UnitCents: 1}
	}
	if _, err = s.CreateInvoice(ctx, InvoiceInput{ClientID: ana.ID, Number: "1", Date: "2026-11-27", Lines: lines}); !errors.As(err, &inv) {
		t.Fatalf("CreateInvoice with %d lines = %v, want the portal's rule", len(lines), err)
	}
	if after, _ := st.PendingOps(ctx, 100); len(after) != len(before) {
		t.Fatalf("%d ops queued for refused writes", len(after)-len(before))
	}
}
