-- To-dos and billing of each client, as this desktop knows them.
CREATE TABLE todos (
  id          TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL,
  title       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  due         TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL,
  done_at     TEXT,
  done_by     TEXT NOT NULL DEFAULT '',
  deleted     INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL
);
CREATE INDEX todos_client ON todos (client_id, state, due);

CREATE TABLE invoices (
  id          TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL,
  number      TEXT NOT NULL,
  date        TEXT NOT NULL,
  due         TEXT NOT NULL DEFAULT '',
  lines       TEXT NOT NULL,
  total_cents INTEGER NOT NULL,
  state       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX invoices_client ON invoices (client_id, date);

CREATE TABLE payments (
  id           TEXT PRIMARY KEY,
  client_id    TEXT NOT NULL,
  invoice_id   TEXT NOT NULL DEFAULT '',
  date         TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  method       TEXT NOT NULL DEFAULT '',
  deleted      INTEGER NOT NULL DEFAULT 0,
  updated_at   TEXT NOT NULL
);
CREATE INDEX payments_client ON payments (client_id, date);
