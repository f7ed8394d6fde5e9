-- The firm's own help links, shown on the portal's help page.
CREATE TABLE help_links (
  firm_id TEXT PRIMARY KEY REFERENCES firms (id),
  data    TEXT NOT NULL
);
