-- Desktop database: the firm's data as this desktop knows it, and the outbox of staff writes
-- not yet acknowledged by the portal.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE clients (
  rid           INTEGER PRIMARY KEY, -- stable integer key for the FTS index
  id            TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  archived      INTEGER NOT NULL DEFAULT 0,
  portal_status TEXT NOT NULL DEFAULT 'none',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX clients_name ON clients (name COLLATE NOCASE);

CREATE TABLE people (
  id        TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  role      TEXT NOT NULL CHECK (role IN ('primary', 'spouse', 'contact')),
  name      TEXT NOT NULL,
  email     TEXT NOT NULL DEFAULT '',
  phone     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX people_client ON people (client_id, position);
CREATE INDEX people_email ON people (email COLLATE NOCASE) WHERE email <> '';

-- Search by name, email or phone. rowid = clients.rid.
CREATE VIRTUAL TABLE clients_fts USING fts5 (
  name, emails, phones,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT, -- push order
  id         TEXT NOT NULL UNIQUE,              -- ULID, the idempotency key
  kind       TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_entity ON outbox (entity_id);
CREATE INDEX outbox_state ON outbox (state, seq);
