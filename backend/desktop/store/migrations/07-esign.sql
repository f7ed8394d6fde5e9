-- eSignature packets prepared on this desktop. The draft is kept as JSON (the editor's
-- state); a sent packet's PDF is a copy in the data folder, so editing the file afterwards
-- cannot change what was sent.
CREATE TABLE packets (
  id         TEXT PRIMARY KEY,
  client_id  TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  file_id    TEXT NOT NULL DEFAULT '',
  draft      TEXT NOT NULL,              -- the packet as staff prepared it (JSON)
  state      TEXT NOT NULL,              -- draft, queued, sent, completed, declined, voided, expired
  sha256     TEXT NOT NULL DEFAULT '',
  size       INTEGER NOT NULL DEFAULT 0,
  pages      INTEGER NOT NULL DEFAULT 0,
  todo_id    TEXT NOT NULL DEFAULT '',
  pushed     INTEGER NOT NULL DEFAULT 0, -- its ops are in the outbox (its PDF reached the portal)
  status     TEXT NOT NULL DEFAULT '',   -- the portal's PacketState (JSON)
  error      TEXT NOT NULL DEFAULT '',
  upload_url TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  sent_at    TEXT
);
CREATE INDEX packets_client ON packets (client_id, created_at);
CREATE INDEX packets_unpushed ON packets (state) WHERE state = 'queued' AND pushed = 0;

ALTER TABLE todos ADD COLUMN packet_id TEXT NOT NULL DEFAULT '';
