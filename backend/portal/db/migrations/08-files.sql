-- Blobs a firm has: a desktop does not send one twice, and a firm reads only its own.
CREATE TABLE firm_blobs (
  firm_id    TEXT NOT NULL REFERENCES firms (id),
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (firm_id, sha256)
) WITHOUT ROWID;

-- Files shared with a client or uploaded by one. Files the firm keeps to itself are not here.
CREATE TABLE files (
  firm_id    TEXT NOT NULL,
  id         TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  dir        TEXT NOT NULL DEFAULT '',
  name       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  modified   TEXT NOT NULL,
  source     TEXT NOT NULL CHECK (source IN ('firm', 'client')),
  added_by   TEXT NOT NULL DEFAULT '',
  visible    INTEGER NOT NULL,
  todo_id    TEXT NOT NULL DEFAULT '',
  deleted    INTEGER NOT NULL DEFAULT 0,
  shared_at  TEXT NOT NULL, -- when the client could first see it: "recent files" order
  PRIMARY KEY (firm_id, id),
  FOREIGN KEY (firm_id, client_id) REFERENCES clients (firm_id, id)
) WITHOUT ROWID;
CREATE INDEX files_client ON files (firm_id, client_id, shared_at);
