-- Access is removed per client; a removed row stays so staff see it on that client.
ALTER TABLE portal_user_clients ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
