-- A seal is claimed before it is tried, so a document that crashes or stalls portald is
-- counted even when the process dies; after SealTries the packet waits for staff instead
-- of being tried on every start. seal_after is Unix seconds: the next try's earliest time.
ALTER TABLE packets ADD COLUMN seal_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE packets ADD COLUMN seal_after INTEGER NOT NULL DEFAULT 0;
