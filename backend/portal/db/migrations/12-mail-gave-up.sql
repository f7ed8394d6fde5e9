-- Mail the worker gave up on (refused for good, or its retries ran out) is kept with its
-- reason; an invitation knows its mail, so staff see on it that it never arrived.
ALTER TABLE mail_queue ADD COLUMN failed_at TEXT;
ALTER TABLE invitations ADD COLUMN mail_id INTEGER;
CREATE INDEX invitations_mail ON invitations (mail_id) WHERE mail_id IS NOT NULL;
