package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"portico/backend/api"
	"portico/backend/portal/mail"
	"portico/backend/slots"
)

// ErrSlotTaken is a booking for a time someone else booked first.
var ErrSlotTaken = errors.New("that time was just booked by someone else")

// A firm's schedule and help links are one JSON document each, in a table of their own.
const (
	scheduleTable = "schedules"
	helpTable     = "help_links"
)

// putFirmDocument replaces a firm's document in table and adds it to the feed.
func (d *DB) putFirmDocument(ctx context.Context, tx *sql.Tx, table, firmID, opID, kind, entityID string, v any) (int64, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (firm_id, data) VALUES (?, ?)
		ON CONFLICT (firm_id) DO UPDATE SET data = excluded.data`, firmID, string(data)); err != nil {
		return 0, fmt.Errorf("put %s: %w", table, err)
	}
	return appendChange(ctx, tx, firmID, opID, kind, entityID, v, d.now())
}

// firmDocument reads a firm's document from table into v, leaving v as it is when the
// firm never set one.
func (d *DB) firmDocument(ctx context.Context, table, firmID string, v any) error {
	var data string
	err := d.sql.QueryRowContext(ctx, `SELECT data FROM `+table+` WHERE firm_id = ?`, firmID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(data), v)
}

func (d *DB) putSchedule(ctx context.Context, tx *sql.Tx, firmID, opID string, s *api.Schedule) (int64, error) {
	return d.putFirmDocument(ctx, tx, scheduleTable, firmID, opID, api.KindSchedulePut, api.ScheduleID, s)
}

// Schedule returns the firm's schedule; a firm that never set one has it disabled.
func (d *DB) Schedule(ctx context.Context, firmID string) (api.Schedule, error) {
	var s api.Schedule
	err := d.firmDocument(ctx, scheduleTable, firmID, &s)
	return s, err
}

// Busy returns the firm's booked appointments that overlap [from, to).
func (d *DB) Busy(ctx context.Context, firmID string, from, to time.Time) ([]slots.Interval, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT start_at, end_at FROM bookings WHERE firm_id = ? AND state = 'booked'
		AND start_at < ? AND end_at > ?`, firmID, to.UTC().Format(time.RFC3339Nano), from.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []slots.Interval
	for rows.Next() {
		var s, e string
		if err := rows.Scan(&s, &e); err != nil {
			return nil, err
		}
		out = append(out, slots.Interval{Start: parseTime(s), End: parseTime(e)})
	}
	return out, rows.Err()
}

// Booking is an appointment as the client sees it.
type Booking struct {
	ID string
	api.Booking
}

// UserBookings lists the bookings of the user's clients from since on, soonest first.
func (d *DB) UserBookings(ctx context.Context, u User, since time.Time) ([]Booking, error) {
	filter, args := clientFilter("t", u.ClientIDs)
	rows, err := d.sql.QueryContext(ctx, `SELECT t.id, t.client_id, c.name, t.type_id, t.type_name, t.start_at, t.end_at, t.state
		FROM bookings t JOIN clients c ON c.firm_id = t.firm_id AND c.id = t.client_id
		WHERE t.firm_id = ? AND `+filter+` AND t.end_at > ? ORDER BY t.start_at`,
		append(append([]any{u.FirmID}, args...), since.UTC().Format(time.RFC3339Nano))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Booking
	for rows.Next() {
		var b Booking
		var s, e string
		if err := rows.Scan(&b.ID, &b.ClientID, &b.ClientName, &b.TypeID, &b.TypeName, &s, &e, &b.State); err != nil {
			return nil, err
		}
		b.Start, b.End = parseTime(s), parseTime(e)
		out = append(out, b)
	}
	return out, rows.Err()
}

// Book records appointment id for one of the user's clients unless it overlaps another
// booking, queues its confirmation and tells staff.
func (d *DB) Book(ctx context.Context, u User, id string, b api.Booking, confirmation mail.Message, ev Event) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings WHERE firm_id = ? AND state = 'booked'
			AND start_at < ? AND end_at > ?`, u.FirmID, b.End.UTC().Format(time.RFC3339Nano),
			b.Start.UTC().Format(time.RFC3339Nano)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrSlotTaken
		}
		now := d.now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO bookings (firm_id, id, client_id, user_id, type_id, type_name, start_at, end_at, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?)`, u.FirmID, id, b.ClientID, u.ID, b.TypeID, b.TypeName,
			b.Start.UTC().Format(time.RFC3339Nano), b.End.UTC().Format(time.RFC3339Nano), now); err != nil {
			return err
		}
		if _, err := enqueueMail(ctx, tx, u.FirmID, confirmation, now); err != nil {
			return err
		}
		if _, err := appendChange(ctx, tx, u.FirmID, "", api.KindBookingPut, id, b, now); err != nil {
			return err
		}
		_, err := audit(ctx, tx, u.FirmID, u.ID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, now)
		return err
	})
	if err == nil {
		d.changed(u.FirmID)
		d.mailQueued()
	}
	return err
}

// CancelBooking cancels one of the user's bookings that starts after notBefore; a booking
// of another client is ErrNotFound, one too soon ErrTooLate.
func (d *DB) CancelBooking(ctx context.Context, u User, id string, notBefore time.Time, ev Event) error {
	err := d.withTx(ctx, func(tx *sql.Tx) error {
		filter, args := clientFilter("t", u.ClientIDs)
		var b api.Booking
		var s, e string
		err := tx.QueryRowContext(ctx, `SELECT t.client_id, c.name, t.type_id, t.type_name, t.start_at, t.end_at, t.state
			FROM bookings t JOIN clients c ON c.firm_id = t.firm_id AND c.id = t.client_id
			WHERE t.firm_id = ? AND t.id = ? AND `+filter, append([]any{u.FirmID, id}, args...)...).Scan(
			&b.ClientID, &b.ClientName, &b.TypeID, &b.TypeName, &s, &e, &b.State)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		b.Start, b.End, b.Email = parseTime(s), parseTime(e), u.Email
		if b.State == api.BookingCancelled {
			return nil
		}
		if b.Start.Before(notBefore) {
			return ErrTooLate
		}
		b.State = api.BookingCancelled
		now := d.now()
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET state = 'cancelled' WHERE firm_id = ? AND id = ?`, u.FirmID, id); err != nil {
			return err
		}
		if _, err := appendChange(ctx, tx, u.FirmID, "", api.KindBookingPut, id, b, now); err != nil {
			return err
		}
		_, err = audit(ctx, tx, u.FirmID, u.ID, ev.Name, ev.Detail, ev.IP, ev.UserAgent, now)
		return err
	})
	if err == nil {
		d.changed(u.FirmID)
	}
	return err
}

// ErrTooLate is a cancellation inside the firm's notice period.
var ErrTooLate = errors.New("too late to cancel online")

func (d *DB) putHelp(ctx context.Context, tx *sql.Tx, firmID, opID string, h *api.Help) (int64, error) {
	return d.putFirmDocument(ctx, tx, helpTable, firmID, opID, api.KindHelpPut, api.HelpID, h)
}

// Help returns the firm's help links (none when it never set any).
func (d *DB) Help(ctx context.Context, firmID string) (api.Help, error) {
	var h api.Help
	err := d.firmDocument(ctx, helpTable, firmID, &h)
	return h, err
}
