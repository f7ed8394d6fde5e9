-- Appointments: the firm's schedule (one JSON document), the bookings clients make, and
-- mail attachments (the booking confirmation's .ics).
CREATE TABLE schedules (
  firm_id TEXT PRIMARY KEY REFERENCES firms (id),
  data    TEXT NOT NULL
);

CREATE TABLE bookings (
  firm_id    TEXT NOT NULL,
  id         TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  type_id    TEXT NOT NULL,
  type_name  TEXT NOT NULL,
  start_at   TEXT NOT NULL, -- UTC
  end_at     TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('booked', 'cancelled')),
  created_at TEXT NOT NULL,
  PRIMARY KEY (firm_id, id)
) WITHOUT ROWID;
CREATE INDEX bookings_time ON bookings (firm_id, state, start_at);
CREATE INDEX bookings_client ON bookings (firm_id, client_id, start_at);

ALTER TABLE mail_queue ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
