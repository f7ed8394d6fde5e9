-- A download that replaces a file on disk remembers which content it replaces: the version
-- this desktop and the portal last agreed on. Only that version is replaced (and goes to
-- the trash); a file changed here meanwhile is kept beside the newer one.
ALTER TABLE files ADD COLUMN replaces TEXT NOT NULL DEFAULT '';
