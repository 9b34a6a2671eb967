-- Weft schema v1 for the embedded SQLite backend (libsql); the same tables,
-- columns and indexes as 0001_init.mysql.sql, in SQLite's types.
-- Sessions are stored "column-to-row": every field of a session is a row of
-- session_fields, indexed by (field, value), so new template fields need no DDL.
-- Text compares with SQLite's BINARY collation: exact and case-sensitive, like
-- utf8mb4_bin on the MySQL family.

CREATE TABLE IF NOT EXISTS templates (
  template_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  definition_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (template_id, version)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sessions (
  session_id TEXT NOT NULL,
  template_id TEXT NOT NULL,
  template_version INTEGER NOT NULL,
  business_key TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  fire_reason TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  verdict TEXT NULL,
  severity TEXT NULL,
  merged_into TEXT NULL,
  fields_json TEXT NOT NULL,
  verdicts_json TEXT NOT NULL,
  verdict_json TEXT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (session_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_sessions_business_key ON sessions (business_key, template_id);

CREATE INDEX IF NOT EXISTS idx_sessions_template_start ON sessions (template_id, start_time);

CREATE INDEX IF NOT EXISTS idx_sessions_start ON sessions (start_time);

CREATE INDEX IF NOT EXISTS idx_sessions_end ON sessions (end_time);

CREATE TABLE IF NOT EXISTS session_fields (
  session_id TEXT NOT NULL,
  field TEXT NOT NULL,
  template_id TEXT NOT NULL,
  value_kind TEXT NOT NULL,
  str_value TEXT NULL,
  num_value REAL NULL,
  PRIMARY KEY (session_id, field)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_session_fields_str ON session_fields (field, str_value, template_id);

CREATE INDEX IF NOT EXISTS idx_session_fields_num ON session_fields (field, num_value, template_id);

CREATE TABLE IF NOT EXISTS session_nodes (
  session_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  node TEXT NOT NULL,
  kind TEXT NOT NULL,
  records_json TEXT NOT NULL,
  PRIMARY KEY (session_id, position)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS field_catalog (
  template_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value_kind TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  PRIMARY KEY (template_id, field, value_kind)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS orphans (
  template_id TEXT NOT NULL,
  node TEXT NOT NULL,
  record_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  keys_json TEXT NOT NULL,
  record_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (template_id, node, record_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_orphans_event_time ON orphans (template_id, event_time);

CREATE TABLE IF NOT EXISTS dead_letters (
  dead_letter_id TEXT NOT NULL,
  template_id TEXT NULL,
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw TEXT NOT NULL,
  origin_json TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (dead_letter_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_dead_letters_at ON dead_letters (at);

CREATE TABLE IF NOT EXISTS late_queue (
  late_id TEXT NOT NULL,
  template_id TEXT NOT NULL,
  event_time INTEGER NOT NULL,
  late_json TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  PRIMARY KEY (late_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_late_queue_enqueued ON late_queue (enqueued_at);

CREATE TABLE IF NOT EXISTS operator_actions (
  action_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  payload_json TEXT NOT NULL,
  PRIMARY KEY (action_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_operator_actions_session ON operator_actions (session_id, at);

CREATE TABLE IF NOT EXISTS rollup_specs (
  rollup_id TEXT NOT NULL,
  template_id TEXT NOT NULL,
  spec_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (rollup_id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_rollup_specs_template ON rollup_specs (template_id);

CREATE TABLE IF NOT EXISTS rollups (
  rollup_key TEXT NOT NULL,
  rollup_id TEXT NOT NULL,
  grain TEXT NOT NULL,
  bucket_start INTEGER NOT NULL,
  dims_json TEXT NOT NULL,
  session_count INTEGER NOT NULL,
  measures_json TEXT NOT NULL,
  PRIMARY KEY (rollup_key)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idx_rollups_bucket ON rollups (rollup_id, grain, bucket_start);
