-- Outgoing mail waits here until the mail server takes it; nothing is dropped on failure.
CREATE TABLE mail_queue (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  firm_id       TEXT REFERENCES firms (id),
  from_name     TEXT NOT NULL,
  to_name       TEXT NOT NULL,
  to_addr       TEXT NOT NULL,
  subject       TEXT NOT NULL,
  body_text     TEXT NOT NULL,
  body_html     TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT NOT NULL DEFAULT '',
  next_attempt  TEXT NOT NULL,
  sent_at       TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt) WHERE sent_at IS NULL;
