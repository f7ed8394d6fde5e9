-- Client users of the portal, their invitations, sessions, codes and security events.
CREATE TABLE portal_users (
  id              TEXT PRIMARY KEY,
  firm_id         TEXT NOT NULL REFERENCES firms (id),
  email           TEXT NOT NULL COLLATE NOCASE,
  name            TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('invited', 'active', 'removed')),
  password_hash   TEXT NOT NULL DEFAULT '',
  second_factor   TEXT NOT NULL DEFAULT 'email' CHECK (second_factor IN ('email', 'sms', 'totp')),
  phone           TEXT NOT NULL DEFAULT '',
  totp_secret     BLOB,             -- AES-GCM sealed with the portal's key
  totp_last_step  INTEGER NOT NULL DEFAULT 0,
  tos_version     TEXT NOT NULL DEFAULT '',
  tos_at          TEXT,
  tos_ip          TEXT NOT NULL DEFAULT '',
  tos_user_agent  TEXT NOT NULL DEFAULT '',
  accepted_at     TEXT,
  removed_at      TEXT,
  link_asked_at   TEXT,
  created_at      TEXT NOT NULL,
  UNIQUE (firm_id, email)
);

CREATE TABLE portal_access (
  firm_id   TEXT NOT NULL,
  user_id   TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  PRIMARY KEY (user_id, client_id),
  FOREIGN KEY (firm_id, client_id) REFERENCES clients (firm_id, id)
) WITHOUT ROWID;

CREATE TABLE invitations (
  id          TEXT PRIMARY KEY,
  firm_id     TEXT NOT NULL,
  user_id     TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  client_id   TEXT NOT NULL,
  token_hash  BLOB NOT NULL UNIQUE,
  sent_at     TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT,
  revoked_at  TEXT
);
CREATE INDEX invitations_user ON invitations (user_id);

-- Sessions by SHA-256 of the cookie. authenticated_at is NULL while the second factor is
-- still to come; expires_at is then minutes away, else 30 days after authentication.
CREATE TABLE portal_sessions (
  id_hash          BLOB PRIMARY KEY,
  user_id          TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  created_at       TEXT NOT NULL,
  authenticated_at TEXT,
  expires_at       TEXT NOT NULL,
  ip               TEXT NOT NULL DEFAULT '',
  user_agent       TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX portal_sessions_user ON portal_sessions (user_id);

-- One-time codes: purpose 'signin' (emailed or texted), 'phone' (verifying a new number,
-- which waits in data) and 'reset' (the password reset link's token hash).
CREATE TABLE portal_codes (
  user_id    TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL,
  code_hash  BLOB NOT NULL,
  data       TEXT NOT NULL DEFAULT '',
  expires_at TEXT NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, purpose)
) WITHOUT ROWID;

CREATE TABLE recovery_codes (
  user_id   TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  code_hash BLOB NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id         TEXT PRIMARY KEY,
  firm_id    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  event      TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT '',
  ip         TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  at         TEXT NOT NULL
);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
