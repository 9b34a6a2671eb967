-- Weft schema v1 for TiDB / MySQL / MariaDB 10.11.
-- Sessions are stored "column-to-row": every field of a session is a row of
-- session_fields, indexed by (field, value), so new template fields need no DDL.
-- Every table is utf8mb4 with the binary collation: comparisons are exact and
-- case-sensitive, like SQLite's BINARY collation on the embedded backend.

CREATE TABLE IF NOT EXISTS templates (
  template_id VARCHAR(128) NOT NULL,
  version INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  definition_json LONGTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (template_id, version)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS sessions (
  session_id VARCHAR(191) NOT NULL,
  template_id VARCHAR(128) NOT NULL,
  template_version INT NOT NULL,
  business_key VARCHAR(255) NOT NULL,
  version BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  fire_reason VARCHAR(16) NOT NULL,
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  verdict VARCHAR(128) NULL,
  severity VARCHAR(16) NULL,
  merged_into VARCHAR(191) NULL,
  fields_json LONGTEXT NOT NULL,
  verdicts_json LONGTEXT NOT NULL,
  verdict_json LONGTEXT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (session_id),
  KEY idx_sessions_business_key (business_key, template_id),
  KEY idx_sessions_template_start (template_id, start_time),
  KEY idx_sessions_start (start_time),
  KEY idx_sessions_end (end_time)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS session_fields (
  session_id VARCHAR(191) NOT NULL,
  field VARCHAR(191) NOT NULL,
  template_id VARCHAR(128) NOT NULL,
  value_kind CHAR(1) NOT NULL,
  str_value VARCHAR(255) NULL,
  num_value DOUBLE NULL,
  PRIMARY KEY (session_id, field),
  KEY idx_session_fields_str (field, str_value, template_id),
  KEY idx_session_fields_num (field, num_value, template_id)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS session_nodes (
  session_id VARCHAR(191) NOT NULL,
  position INT NOT NULL,
  node VARCHAR(191) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  records_json LONGTEXT NOT NULL,
  PRIMARY KEY (session_id, position)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS field_catalog (
  template_id VARCHAR(128) NOT NULL,
  field VARCHAR(191) NOT NULL,
  value_kind CHAR(1) NOT NULL,
  first_seen BIGINT NOT NULL,
  PRIMARY KEY (template_id, field, value_kind)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS orphans (
  template_id VARCHAR(128) NOT NULL,
  node VARCHAR(191) NOT NULL,
  record_id VARCHAR(191) NOT NULL,
  event_time BIGINT NOT NULL,
  keys_json LONGTEXT NOT NULL,
  record_json LONGTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (template_id, node, record_id),
  KEY idx_orphans_event_time (template_id, event_time)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS dead_letters (
  dead_letter_id CHAR(32) NOT NULL,
  template_id VARCHAR(128) NULL,
  source VARCHAR(191) NOT NULL,
  reason TEXT NOT NULL,
  raw LONGTEXT NOT NULL,
  origin_json TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (dead_letter_id),
  KEY idx_dead_letters_at (at)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS late_queue (
  late_id CHAR(32) NOT NULL,
  template_id VARCHAR(128) NOT NULL,
  event_time BIGINT NOT NULL,
  late_json LONGTEXT NOT NULL,
  enqueued_at BIGINT NOT NULL,
  PRIMARY KEY (late_id),
  KEY idx_late_queue_enqueued (enqueued_at)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS operator_actions (
  action_id CHAR(32) NOT NULL,
  session_id VARCHAR(191) NOT NULL,
  action VARCHAR(16) NOT NULL,
  actor VARCHAR(191) NOT NULL,
  at BIGINT NOT NULL,
  payload_json LONGTEXT NOT NULL,
  PRIMARY KEY (action_id),
  KEY idx_operator_actions_session (session_id, at)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS rollup_specs (
  rollup_id VARCHAR(191) NOT NULL,
  template_id VARCHAR(128) NOT NULL,
  spec_json TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (rollup_id),
  KEY idx_rollup_specs_template (template_id)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS rollups (
  rollup_key CHAR(40) NOT NULL,
  rollup_id VARCHAR(191) NOT NULL,
  grain CHAR(1) NOT NULL,
  bucket_start BIGINT NOT NULL,
  dims_json TEXT NOT NULL,
  session_count BIGINT NOT NULL,
  measures_json LONGTEXT NOT NULL,
  PRIMARY KEY (rollup_key),
  KEY idx_rollups_bucket (rollup_id, grain, bucket_start)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
