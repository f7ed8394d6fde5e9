package store

import (
	"context"
	"fmt"
	"time"

	"portico/backend/api"
)

// Booking is an appointment a client booked, as the portal reported it.
type Booking struct {
	ID string `json:"id"`
	api.Booking
}

func (t *Tx) PutBooking(ctx context.Context, b Booking) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO bookings (id, client_id, client_name, email, type_name, start_at, end_at, state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET client_id = excluded.client_id,
		client_name = excluded.client_name, email = excluded.email, type_name = excluded.type_name,
		start_at = excluded.start_at, end_at = excluded.end_at, state = excluded.state`,
		b.ID, b.ClientID, b.ClientName, b.Email, b.TypeName, formatTime(b.Start), formatTime(b.End), b.State)
	if err != nil {
		return fmt.Errorf("save booking: %w", err)
	}
	return nil
}

// Bookings lists appointments that end after since, soonest first.
func (s *Store) Bookings(ctx context.Context, since time.Time) ([]Booking, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, client_id, client_name, email, type_name, start_at, end_at, state
		FROM bookings WHERE end_at > ? ORDER BY start_at`, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("bookings: %w", err)
	}
	defer rows.Close()
	out := []Booking{}
	for rows.Next() {
		var b Booking
		var start, end string
		if err := rows.Scan(&b.ID, &b.ClientID, &b.ClientName, &b.Email, &b.TypeName, &start, &end, &b.State); err != nil {
			return nil, err
		}
		b.Start, b.End = parseTime(start), parseTime(end)
		out = append(out, b)
	}
	return out, rows.Err()
}
