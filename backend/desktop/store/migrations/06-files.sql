-- Each client's folder in the firm library, named once (from the client's name) and kept
-- when the client is renamed: people bookmark folders.
CREATE TABLE client_folders (
  client_id TEXT PRIMARY KEY REFERENCES clients (id) ON DELETE CASCADE,
  folder    TEXT NOT NULL UNIQUE COLLATE NOCASE
);

-- Files in the clients' folders as this desktop last saw them. Only those in
-- "Shared with client/" (and what clients sent) ever reach the portal.
CREATE TABLE files (
  id         TEXT PRIMARY KEY,
  client_id  TEXT NOT NULL,
  path       TEXT NOT NULL,              -- inside the client's folder, "/"-separated
  sha256     TEXT NOT NULL DEFAULT '',
  size       INTEGER NOT NULL DEFAULT 0,
  mod_time   INTEGER NOT NULL DEFAULT 0, -- unix nanoseconds on disk when last hashed
  source     TEXT NOT NULL DEFAULT 'firm',
  added_by   TEXT NOT NULL DEFAULT '',
  todo_id    TEXT NOT NULL DEFAULT '',
  added_at   TEXT NOT NULL,
  state      TEXT NOT NULL,              -- local, waiting, uploading, synced, downloading, error
  error      TEXT NOT NULL DEFAULT '',
  sent       INTEGER NOT NULL DEFAULT 0, -- bytes the portal has while uploading
  upload_url TEXT NOT NULL DEFAULT '',   -- the tus upload of upload_sha, to resume
  upload_sha TEXT NOT NULL DEFAULT '',
  on_portal  INTEGER NOT NULL DEFAULT 0, -- the client can see it: hiding or deleting needs a put
  trashed_at TEXT,                       -- in the trash since; purged after 30 days
  trash_path TEXT NOT NULL DEFAULT ''    -- where in the trash, relative to the library
);
CREATE UNIQUE INDEX files_path ON files (client_id, path COLLATE NOCASE) WHERE trashed_at IS NULL;
CREATE INDEX files_client ON files (client_id, trashed_at);
CREATE INDEX files_sha ON files (client_id, sha256);
CREATE INDEX files_work ON files (state) WHERE state IN ('waiting', 'uploading', 'downloading', 'error');
