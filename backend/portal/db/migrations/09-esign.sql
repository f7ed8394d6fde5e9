-- eSignature packets, as staff sent them from a desktop.
CREATE TABLE packets (
  firm_id        TEXT NOT NULL,
  id             TEXT NOT NULL,
  client_id      TEXT NOT NULL,
  data           TEXT NOT NULL,         -- api.Packet (JSON)
  state          TEXT NOT NULL CHECK (state IN ('sent', 'sealing', 'completed', 'declined', 'voided', 'expired')),
  reason         TEXT NOT NULL DEFAULT '',
  expires_at     TEXT,                  -- after the due day; NULL: no due date
  signed_sha256  TEXT NOT NULL DEFAULT '',
  signed_file_id TEXT NOT NULL DEFAULT '',
  seal_error     TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (firm_id, id),
  FOREIGN KEY (firm_id, client_id) REFERENCES clients (firm_id, id)
) WITHOUT ROWID;
CREATE INDEX packets_open ON packets (state, expires_at) WHERE state IN ('sent', 'sealing');

-- One row per recipient; their turn comes at once, or after the one before them signed.
CREATE TABLE packet_signers (
  firm_id      TEXT NOT NULL,
  packet_id    TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  position     INTEGER NOT NULL,
  name         TEXT NOT NULL,
  email        TEXT NOT NULL COLLATE NOCASE,
  state        TEXT NOT NULL CHECK (state IN ('waiting', 'sent', 'viewed', 'signed', 'declined')),
  sent_at      TEXT,
  viewed_at    TEXT,
  signed_at    TEXT,
  adopted_name TEXT NOT NULL DEFAULT '',
  vals         TEXT NOT NULL DEFAULT '', -- the values of the signer's fields (JSON)
  reminders    INTEGER NOT NULL DEFAULT 0,
  remind_at    TEXT,
  PRIMARY KEY (firm_id, packet_id, recipient_id),
  FOREIGN KEY (firm_id, packet_id) REFERENCES packets (firm_id, id)
) WITHOUT ROWID;
CREATE INDEX packet_signers_remind ON packet_signers (remind_at) WHERE remind_at IS NOT NULL;

-- Signing links: each email (the request, each reminder) has its own random token, stored
-- hashed. Every one works until the packet ends.
CREATE TABLE packet_links (
  token_hash   BLOB PRIMARY KEY,
  firm_id      TEXT NOT NULL,
  packet_id    TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  created_at   TEXT NOT NULL
) WITHOUT ROWID;

-- Everything that happened to a packet, for its audit trail.
CREATE TABLE packet_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  firm_id    TEXT NOT NULL,
  packet_id  TEXT NOT NULL,
  at         TEXT NOT NULL,
  what       TEXT NOT NULL,
  who        TEXT NOT NULL DEFAULT '',
  ip         TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX packet_events_packet ON packet_events (firm_id, packet_id, id);

-- Each firm's sealing certificate: made when the firm is, or uploaded (PKCS#12). The key is
-- encrypted with the portal's key.
CREATE TABLE firm_seals (
  firm_id    TEXT PRIMARY KEY REFERENCES firms (id),
  cert_pem   TEXT NOT NULL,
  key_sealed BLOB NOT NULL,
  chain_pem  TEXT NOT NULL DEFAULT '',
  source     TEXT NOT NULL CHECK (source IN ('generated', 'uploaded')),
  created_at TEXT NOT NULL
);

ALTER TABLE todos ADD COLUMN packet_id TEXT NOT NULL DEFAULT '';
