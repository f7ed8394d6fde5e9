-- The feed position of each record's last write this desktop had acknowledged, until the
-- cursor passes it: a feed page answered late must not put an older version back.
CREATE TABLE acked (
  kind      TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (kind, entity_id)
);
