-- Prefix indexes for the one- to three-letter searches staff type first ("s", "555"): without
-- them FTS5 merges every token that starts so.
DROP TABLE clients_fts;
CREATE VIRTUAL TABLE clients_fts USING fts5 (
  name, emails, phones,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);

-- Clients written since the search index last caught up (see store/search.go): every client,
-- for the index just made.
CREATE TABLE clients_unindexed (
  rid INTEGER PRIMARY KEY
);
INSERT INTO clients_unindexed (rid) SELECT rid FROM clients;
