-- Entity profiles and identity edges: see 0009_entity_profiles.mysql.sql.
-- Keys are TEXT compared with BINARY (no padding), like the VARBINARY keys
-- of the MySQL family.
CREATE TABLE IF NOT EXISTS entity_states (
  template_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  format TEXT NOT NULL,
  version INTEGER NOT NULL,
  state_json TEXT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (template_id, kind, entity_key)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_entity_states_updated ON entity_states (template_id, updated_at);

CREATE TABLE IF NOT EXISTS identity_edges (
  template_id TEXT NOT NULL,
  kind_a TEXT NOT NULL,
  key_a TEXT NOT NULL,
  kind_b TEXT NOT NULL,
  key_b TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  session_count INTEGER NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (template_id, kind_a, key_a, kind_b, key_b)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_identity_edges_b ON identity_edges (template_id, kind_b, key_b, kind_a, key_a);

CREATE INDEX IF NOT EXISTS idx_identity_edges_seen ON identity_edges (template_id, last_seen);
