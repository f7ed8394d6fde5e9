-- Portal users as the portal's feed reports them, their security events, and the firm's
-- invitation templates.
CREATE TABLE portal_users (
  id         TEXT PRIMARY KEY,           -- the portal's id
  email      TEXT NOT NULL COLLATE NOCASE,
  name       TEXT NOT NULL,
  state      TEXT NOT NULL,
  data       TEXT NOT NULL,              -- api.PortalUser as JSON
  updated_at TEXT NOT NULL
);
CREATE INDEX portal_users_email ON portal_users (email);

CREATE TABLE portal_user_clients (
  user_id   TEXT NOT NULL REFERENCES portal_users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  PRIMARY KEY (client_id, user_id)
) WITHOUT ROWID;

CREATE TABLE portal_audit (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL,
  email      TEXT NOT NULL,
  event      TEXT NOT NULL,
  detail     TEXT NOT NULL,
  ip         TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  at         TEXT NOT NULL
);
CREATE INDEX portal_audit_user ON portal_audit (user_id, at);

CREATE TABLE invite_templates (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  subject    TEXT NOT NULL,
  body       TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX invite_templates_one_default ON invite_templates (is_default) WHERE is_default = 1;
