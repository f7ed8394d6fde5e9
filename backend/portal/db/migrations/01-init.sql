-- Portal database. Every row of firm data carries firm_id and every query filters on it.
CREATE TABLE firms (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  last_seq   INTEGER NOT NULL DEFAULT 0, -- the firm's change sequence
  created_at TEXT NOT NULL
);

CREATE TABLE staff (
  id            TEXT PRIMARY KEY,
  firm_id       TEXT NOT NULL REFERENCES firms (id),
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

CREATE TABLE devices (
  id           TEXT PRIMARY KEY,
  firm_id      TEXT NOT NULL REFERENCES firms (id),
  staff_id     TEXT NOT NULL REFERENCES staff (id),
  token_hash   BLOB NOT NULL UNIQUE, -- SHA-256 of the token; the token itself is never stored
  name         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  revoked_at   TEXT
);

-- Every op a desktop pushed, so a repeat is answered with the first result.
CREATE TABLE ops (
  firm_id    TEXT NOT NULL REFERENCES firms (id),
  id         TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  seq        INTEGER,
  error      TEXT NOT NULL DEFAULT '',
  device_id  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (firm_id, id)
) WITHOUT ROWID;

-- The firm's change feed, in the order the portal applied the changes.
CREATE TABLE changes (
  firm_id    TEXT NOT NULL REFERENCES firms (id),
  seq        INTEGER NOT NULL,
  op_id      TEXT NOT NULL,
  kind       TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  data       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (firm_id, seq)
) WITHOUT ROWID;

CREATE TABLE clients (
  firm_id     TEXT NOT NULL REFERENCES firms (id),
  id          TEXT NOT NULL,
  name        TEXT NOT NULL,
  archived    INTEGER NOT NULL DEFAULT 0,
  updated_seq INTEGER NOT NULL,
  PRIMARY KEY (firm_id, id)
) WITHOUT ROWID;

CREATE TABLE people (
  firm_id   TEXT NOT NULL,
  id        TEXT NOT NULL,
  client_id TEXT NOT NULL,
  position  INTEGER NOT NULL,
  role      TEXT NOT NULL,
  name      TEXT NOT NULL,
  email     TEXT NOT NULL DEFAULT '',
  phone     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (firm_id, id),
  FOREIGN KEY (firm_id, client_id) REFERENCES clients (firm_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX people_client ON people (firm_id, client_id);
