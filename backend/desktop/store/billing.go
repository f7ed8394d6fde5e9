package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"portico/backend/api"
)

// Invoice is a client's invoice on this desktop, with what was paid against it.
type Invoice struct {
	ID string `json:"id"`
	api.Invoice
	TotalCents int64     `json:"totalCents"`
	PaidCents  int64     `json:"paidCents"`
	Shown      string    `json:"shown"` // open, paid or void
	UpdatedAt  time.Time `json:"updatedAt" ts_type:"string"`
}

type Payment struct {
	ID string `json:"id"`
	api.Payment
	InvoiceNumber string    `json:"invoiceNumber"`
	UpdatedAt     time.Time `json:"updatedAt" ts_type:"string"`
}

func (t *Tx) PutInvoice(ctx context.Context, inv Invoice) error {
	lines, err := json.Marshal(inv.Lines)
	if err != nil {
		return err
	}
	_, err = t.tx.ExecContext(ctx, `INSERT INTO invoices (id, client_id, number, date, due, lines, total_cents, state, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id,
		number = excluded.number, date = excluded.date, due = excluded.due, lines = excluded.lines,
		total_cents = excluded.total_cents, state = excluded.state, updated_at = excluded.updated_at`,
		inv.ID, inv.ClientID, inv.Number, inv.Date, inv.Due, string(lines), inv.Invoice.Total(), inv.State, formatTime(inv.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save invoice: %w", err)
	}
	return nil
}

func (t *Tx) PutPayment(ctx context.Context, p Payment) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO payments (id, client_id, invoice_id, date, amount_cents, method, deleted, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id,
		invoice_id = excluded.invoice_id, date = excluded.date, amount_cents = excluded.amount_cents,
		method = excluded.method, deleted = excluded.deleted, updated_at = excluded.updated_at`,
		p.ID, p.ClientID, p.InvoiceID, p.Date, p.AmountCents, p.Method, p.Deleted, formatTime(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save payment: %w", err)
	}
	return nil
}

const invoiceCols = `i.id, i.client_id, i.number, i.date, i.due, i.lines, i.total_cents, i.state, i.updated_at,
	COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.invoice_id = i.id AND p.deleted = 0), 0)`

func scanInvoice(row interface{ Scan(...any) error }) (Invoice, error) {
	var inv Invoice
	var lines, updated string
	if err := row.Scan(&inv.ID, &inv.ClientID, &inv.Number, &inv.Date, &inv.Due, &lines, &inv.TotalCents, &inv.State,
		&updated, &inv.PaidCents); err != nil {
		return inv, err
	}
	inv.UpdatedAt = parseTime(updated)
	if err := json.Unmarshal([]byte(lines), &inv.Lines); err != nil {
		return inv, fmt.Errorf("invoice %s: %w", inv.ID, err)
	}
	inv.Shown = inv.State
	if inv.State == api.InvoiceOpen && inv.PaidCents >= inv.TotalCents {
		inv.Shown = api.InvoicePaid
	}
	return inv, nil
}

func (t *Tx) Invoice(ctx context.Context, id string) (Invoice, error) {
	inv, err := scanInvoice(t.tx.QueryRowContext(ctx, `SELECT `+invoiceCols+` FROM invoices i WHERE i.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, ErrNotFound
	}
	return inv, err
}

// InvoicesOfClient lists a client's invoices, newest first.
func (s *Store) InvoicesOfClient(ctx context.Context, clientID string) ([]Invoice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+invoiceCols+` FROM invoices i WHERE i.client_id = ?
		ORDER BY i.date DESC, i.number DESC`, clientID)
	if err != nil {
		return nil, fmt.Errorf("invoices: %w", err)
	}
	defer rows.Close()
	out := []Invoice{}
	for rows.Next() {
		inv, err := scanInvoice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// PaymentsOfClient lists a client's payments, newest first.
func (s *Store) PaymentsOfClient(ctx context.Context, clientID string) ([]Payment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.client_id, p.invoice_id, COALESCE(i.number, ''), p.date,
		p.amount_cents, p.method, p.updated_at FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id
		WHERE p.client_id = ? AND p.deleted = 0 ORDER BY p.date DESC, p.updated_at DESC`, clientID)
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	defer rows.Close()
	out := []Payment{}
	for rows.Next() {
		var p Payment
		var updated string
		if err := rows.Scan(&p.ID, &p.ClientID, &p.InvoiceID, &p.InvoiceNumber, &p.Date, &p.AmountCents, &p.Method, &updated); err != nil {
			return nil, err
		}
		p.UpdatedAt = parseTime(updated)
		out = append(out, p)
	}
	return out, rows.Err()
}

// NextInvoiceNumber suggests YEAR-NNN, one above the highest of that year on this desktop.
func (s *Store) NextInvoiceNumber(ctx context.Context, year int) (string, error) {
	prefix := fmt.Sprintf("%d-", year)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(CAST(substr(number, ?) AS INTEGER)), 0) FROM invoices
		WHERE number LIKE ? || '%'`, len(prefix)+1, prefix).Scan(&n)
	return fmt.Sprintf("%s%03d", prefix, n+1), err
}
