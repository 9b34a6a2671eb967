-- Identity-graph nodes: see 0011_identity_nodes.mysql.sql.
CREATE TABLE IF NOT EXISTS identity_nodes (
  template_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (template_id, kind, entity_key)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_identity_nodes_seen ON identity_nodes (template_id, last_seen);
