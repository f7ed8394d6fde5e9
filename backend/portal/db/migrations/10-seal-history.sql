-- Certificates a firm sealed with before replacing them: documents sealed then must still
-- verify as the firm's.
CREATE TABLE firm_seal_history (
  firm_id    TEXT NOT NULL REFERENCES firms (id),
  cert_pem   TEXT NOT NULL,
  retired_at TEXT NOT NULL
);
CREATE INDEX firm_seal_history_firm ON firm_seal_history (firm_id);
