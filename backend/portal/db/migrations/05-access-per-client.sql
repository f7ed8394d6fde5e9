-- Access is removed per client: the row stays (staff see "access removed" on that client)
-- and only rows without removed_at grant access.
ALTER TABLE portal_access ADD COLUMN removed_at TEXT;
