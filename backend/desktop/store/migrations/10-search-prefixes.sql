-- Prefix indexes for the one- to three-letter searches staff type first ("s", "555"): without
-- them FTS5 merges every token that starts so. Store.Open refills the index.
DROP TABLE clients_fts;
CREATE VIRTUAL TABLE clients_fts USING fts5 (
  name, emails, phones,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);
INSERT INTO settings (key, value) VALUES ('reindex_clients', '1');
