-- A notice is mail the database owes without writing it: an invitation or a signing link,
-- queued with its facts in the transaction that made the link. The mail worker has it
-- written (portal/web) when it sends it.
ALTER TABLE mail_queue ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_queue ADD COLUMN data TEXT NOT NULL DEFAULT '';
