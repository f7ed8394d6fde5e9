-- What the firm shares with a client: to-dos and billing. Every row carries its client.
CREATE TABLE todos (
  firm_id     TEXT NOT NULL,
  id          TEXT NOT NULL,
  client_id   TEXT NOT NULL,
  title       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  due         TEXT NOT NULL DEFAULT '',
  state       TEXT NOT NULL CHECK (state IN ('open', 'done')),
  done_at     TEXT,
  done_by     TEXT NOT NULL DEFAULT '',
  deleted     INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (firm_id, id),
  FOREIGN KEY (firm_id, client_id) REFERENCES clients (firm_id, id)
) WITHOUT ROWID;
CREATE INDEX todos_client ON todos (firm_id, client_id, state, due);

CREATE TABLE invoices (
  firm_id     TEXT NOT NULL,
  id          TEXT NOT NULL,
  client_id   TEXT NOT NULL,
  number      TEXT NOT NULL,
  date        TEXT NOT NULL,
  due         TEXT NOT NULL DEFAULT '',
  lines       TEXT NOT NULL,        -- JSON array of api.InvoiceLine
  total_cents INTEGER NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('open', 'void')),
  PRIMARY KEY (firm_id, id),
  FOREIGN KEY (firm_id, client_id) REFERENCES clients (firm_id, id)
) WITHOUT ROWID;
CREATE INDEX invoices_client ON invoices (firm_id, client_id, date);

CREATE TABLE payments (
  firm_id      TEXT NOT NULL,
  id           TEXT NOT NULL,
  client_id    TEXT NOT NULL,
  invoice_id   TEXT NOT NULL DEFAULT '',
  date         TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  method       TEXT NOT NULL DEFAULT '',
  deleted      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (firm_id, id),
  FOREIGN KEY (firm_id, client_id) REFERENCES clients (firm_id, id)
) WITHOUT ROWID;
CREATE INDEX payments_client ON payments (firm_id, client_id, date);
