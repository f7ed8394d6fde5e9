package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"portico/backend/api"
)

// Invoice is an invoice as the portal shows it, with what was paid against it.
type Invoice struct {
	ID         string
	ClientName string
	api.Invoice
	TotalCents int64
	PaidCents  int64
	Shown      string // open, paid or void
}

// Payment as the portal shows it.
type Payment struct {
	ID            string
	InvoiceNumber string
	api.Payment
}

func (d *DB) putInvoice(ctx context.Context, tx *sql.Tx, firmID, opID, id string, inv *api.Invoice) (int64, error) {
	if err := clientExists(ctx, tx, firmID, inv.ClientID); err != nil {
		return 0, err
	}
	lines, err := json.Marshal(inv.Lines)
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO invoices (firm_id, id, client_id, number, date, due, lines, total_cents, state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (firm_id, id) DO UPDATE SET client_id = excluded.client_id, number = excluded.number,
			date = excluded.date, due = excluded.due, lines = excluded.lines, total_cents = excluded.total_cents,
			state = excluded.state`, firmID, id, inv.ClientID, inv.Number, inv.Date, inv.Due, lines, inv.Total(), inv.State)
	if err != nil {
		return 0, fmt.Errorf("put invoice: %w", err)
	}
	return appendChange(ctx, tx, firmID, opID, api.KindInvoicePut, id, inv, d.now())
}

func (d *DB) putPayment(ctx context.Context, tx *sql.Tx, firmID, opID, id string, p *api.Payment) (int64, error) {
	if err := clientExists(ctx, tx, firmID, p.ClientID); err != nil {
		return 0, err
	}
	if p.InvoiceID != "" {
		var client string
		err := tx.QueryRowContext(ctx, `SELECT client_id FROM invoices WHERE firm_id = ? AND id = ?`, firmID, p.InvoiceID).Scan(&client)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && client != p.ClientID) {
			return 0, rejection("the payment's invoice is not one of this client's")
		}
		if err != nil {
			return 0, err
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO payments (firm_id, id, client_id, invoice_id, date, amount_cents, method, deleted)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (firm_id, id) DO UPDATE SET client_id = excluded.client_id, invoice_id = excluded.invoice_id,
			date = excluded.date, amount_cents = excluded.amount_cents, method = excluded.method, deleted = excluded.deleted`,
		firmID, id, p.ClientID, p.InvoiceID, p.Date, p.AmountCents, p.Method, p.Deleted)
	if err != nil {
		return 0, fmt.Errorf("put payment: %w", err)
	}
	return appendChange(ctx, tx, firmID, opID, api.KindPaymentPut, id, p, d.now())
}

// Billing is a user's invoices (newest first), payments (newest first) and balance: what is
// invoiced and not void, less what was paid.
type Billing struct {
	Invoices     []Invoice
	Payments     []Payment
	BalanceCents int64
}

func (d *DB) Billing(ctx context.Context, u User) (Billing, error) {
	var b Billing
	filter, args := clientFilter("t", u.ClientIDs)
	all := append([]any{u.FirmID}, args...)
	rows, err := d.sql.QueryContext(ctx, `SELECT t.id, t.client_id, c.name, t.number, t.date, t.due, t.lines, t.total_cents, t.state,
		COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.firm_id = t.firm_id AND p.invoice_id = t.id AND p.deleted = 0), 0)
		FROM invoices t JOIN clients c ON c.firm_id = t.firm_id AND c.id = t.client_id
		WHERE t.firm_id = ? AND `+filter+` ORDER BY t.date DESC, t.number DESC`, all...)
	if err != nil {
		return b, fmt.Errorf("invoices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var inv Invoice
		var lines string
		if err := rows.Scan(&inv.ID, &inv.ClientID, &inv.ClientName, &inv.Number, &inv.Date, &inv.Due, &lines,
			&inv.TotalCents, &inv.State, &inv.PaidCents); err != nil {
			return b, err
		}
		if err := json.Unmarshal([]byte(lines), &inv.Lines); err != nil {
			return b, fmt.Errorf("invoice %s lines: %w", inv.ID, err)
		}
		inv.Shown = inv.State
		if inv.State == api.InvoiceOpen {
			b.BalanceCents += inv.TotalCents
			if inv.PaidCents >= inv.TotalCents {
				inv.Shown = api.InvoicePaid
			}
		}
		b.Invoices = append(b.Invoices, inv)
	}
	if err := rows.Err(); err != nil {
		return b, err
	}
	prows, err := d.sql.QueryContext(ctx, `SELECT t.id, t.client_id, t.invoice_id, COALESCE(i.number, ''), t.date, t.amount_cents, t.method
		FROM payments t LEFT JOIN invoices i ON i.firm_id = t.firm_id AND i.id = t.invoice_id
		WHERE t.firm_id = ? AND `+filter+` AND t.deleted = 0 ORDER BY t.date DESC`, all...)
	if err != nil {
		return b, fmt.Errorf("payments: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var p Payment
		if err := prows.Scan(&p.ID, &p.ClientID, &p.InvoiceID, &p.InvoiceNumber, &p.Date, &p.AmountCents, &p.Method); err != nil {
			return b, err
		}
		b.BalanceCents -= p.AmountCents
		b.Payments = append(b.Payments, p)
	}
	return b, prows.Err()
}

// Invoice returns one of the user's invoices, or ErrNotFound.
func (d *DB) Invoice(ctx context.Context, u User, id string) (Invoice, error) {
	b, err := d.Billing(ctx, u)
	if err != nil {
		return Invoice{}, err
	}
	for _, inv := range b.Invoices {
		if inv.ID == id {
			return inv, nil
		}
	}
	return Invoice{}, ErrNotFound
}
