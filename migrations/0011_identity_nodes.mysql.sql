-- Identity-graph nodes: every entity the graph has seen, with the newest
-- session time it was seen at, including entities seen alone (no edge).
-- With identity_edges this is the whole identity graph (the engine's
-- weft.identity-graph/1 snapshot: nodes [kind, key, lastSeen] and edges),
-- so a restart rebuilds the same components, sizes and retention. Versioned
-- like identity_edges; keys are VARBINARY for the same reason (see 0009).
CREATE TABLE IF NOT EXISTS identity_nodes (
  template_id VARCHAR(128) NOT NULL,
  kind VARCHAR(64) NOT NULL,
  entity_key VARBINARY(1020) NOT NULL,
  last_seen BIGINT NOT NULL,
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (template_id, kind, entity_key),
  KEY idx_identity_nodes_seen (template_id, last_seen)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
