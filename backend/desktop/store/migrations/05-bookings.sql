-- Appointments clients booked in the portal.
CREATE TABLE bookings (
  id          TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL,
  client_name TEXT NOT NULL,
  email       TEXT NOT NULL,
  type_name   TEXT NOT NULL,
  start_at    TEXT NOT NULL,
  end_at      TEXT NOT NULL,
  state       TEXT NOT NULL
);
CREATE INDEX bookings_start ON bookings (start_at);
