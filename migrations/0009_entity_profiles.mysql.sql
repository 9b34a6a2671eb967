-- Entity profiles (issue #11): the engine's per-entity rolling features and
-- the identity graph's edges, persisted so that a restart or another
-- correlator instance continues where the last checkpoint left off.
--
-- entity_states: one row per (template, entity kind, entity key). state_json
-- is the engine's state of that entity, opaque to storage, in the format
-- named by `format` (NULL: the entity was forgotten, kept as a tombstone so
-- that an older write cannot bring it back). `version` is the writer's
-- checkpoint version (epoch x 1,000,000 + job version): a save replaces the
-- row only when its version is higher, so replays and stale writers change
-- nothing.
--
-- identity_edges: one row per pair of entities seen in the same session,
-- stored once with (kind_a, key_a) < (kind_b, key_b). The primary key serves
-- the edges of an entity as end a, idx_identity_edges_b as end b, so a
-- neighbourhood is two index ranges per entity from either end.
-- idx_identity_edges_seen serves retention (edges last seen before a time).
--
-- Entity keys are VARBINARY (UTF-8 bytes): utf8mb4_bin is PAD SPACE, under
-- which the keys 'a' and 'a ' would be one primary key. 1020 bytes hold any
-- 255-character value, the indexed width of session_fields.str_value.
CREATE TABLE IF NOT EXISTS entity_states (
  template_id VARCHAR(128) NOT NULL,
  kind VARCHAR(64) NOT NULL,
  entity_key VARBINARY(1020) NOT NULL,
  format VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  state_json LONGTEXT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (template_id, kind, entity_key),
  KEY idx_entity_states_updated (template_id, updated_at)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS identity_edges (
  template_id VARCHAR(128) NOT NULL,
  kind_a VARCHAR(64) NOT NULL,
  key_a VARBINARY(1020) NOT NULL,
  kind_b VARCHAR(64) NOT NULL,
  key_b VARBINARY(1020) NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  session_count BIGINT NOT NULL,
  version BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (template_id, kind_a, key_a, kind_b, key_b),
  KEY idx_identity_edges_b (template_id, kind_b, key_b, kind_a, key_a),
  KEY idx_identity_edges_seen (template_id, last_seen)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
