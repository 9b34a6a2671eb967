/**
 * Kysely's view of the tables created by /migrations (one interface per
 * table, columns as the driver returns them). Repositories are the only
 * readers of these types; the rest of Weft sees the @weft/templates shapes.
 */

/**
 * How a field value is typed in session_fields: string (`s`), string longer
 * than the 255-character indexed prefix (`l`), number (`n`, times are epoch-ms
 * numbers), boolean (`b`, stored as 0/1 in num_value), null (`z`).
 */
export type ValueKind = 's' | 'l' | 'n' | 'b' | 'z';

export interface TemplatesTable {
  template_id: string;
  version: number;
  status: string;
  definition_json: string;
  created_at: number;
}

export interface SessionsTable {
  session_id: string;
  template_id: string;
  template_version: number;
  business_key: string;
  version: number;
  status: string;
  fire_reason: string;
  start_time: number;
  end_time: number;
  verdict: string | null;
  severity: string | null;
  merged_into: string | null;
  fields_json: string;
  verdicts_json: string;
  verdict_json: string | null;
  updated_at: number;
}

export interface SessionFieldsTable {
  session_id: string;
  field: string;
  template_id: string;
  value_kind: ValueKind;
  str_value: string | null;
  num_value: number | null;
  /** The session's start (migration 0007): the value index ends with it, so matches come newest first. */
  start_time: number;
}

export interface SessionNodesTable {
  session_id: string;
  position: number;
  node: string;
  kind: string;
  records_json: string;
}

export interface FieldCatalogTable {
  template_id: string;
  field: string;
  value_kind: ValueKind;
  first_seen: number;
}

export interface OrphansTable {
  template_id: string;
  node: string;
  record_id: string;
  event_time: number;
  keys_json: string;
  record_json: string;
  created_at: number;
}

export interface DeadLettersTable {
  dead_letter_id: string;
  template_id: string | null;
  source: string;
  reason: string;
  raw: string;
  origin_json: string;
  at: number;
}

export interface LateQueueTable {
  late_id: string;
  template_id: string;
  event_time: number;
  late_json: string;
  enqueued_at: number;
}

export interface OperatorActionsTable {
  action_id: string;
  session_id: string;
  action: string;
  actor: string;
  at: number;
  payload_json: string;
}

export interface RollupSpecsTable {
  rollup_id: string;
  template_id: string;
  spec_json: string;
  created_at: number;
  /** Sessions starting before this are folded in; null once the backfill is done (migration 0008). */
  backfill_until: number | null;
  /** The grains its rows are stored at, e.g. `'mhd'` (migration 0010; `'mh'` for rollups defined before it). */
  grains: string;
}

export interface RollupsTable {
  rollup_key: string;
  rollup_id: string;
  grain: string;
  bucket_start: number;
  dims_json: string;
  session_count: number;
  measures_json: string;
  /** Per measure field `[n, sum, min, max, p50, p95, p99]` (migration 0003); NULL on older rows. */
  summary_json: string | null;
}

/**
 * One entity's profile state (migration 0009). The MySQL family returns the
 * VARBINARY key as a Buffer, SQLite as a string: converters decode it.
 */
export interface EntityStatesTable {
  template_id: string;
  kind: string;
  entity_key: string | Buffer;
  format: string;
  version: number;
  /** The engine's state, opaque JSON text; null once the entity was forgotten (tombstone). */
  state_json: string | null;
  updated_at: number;
}

/** One identity-graph edge, stored once with (kind_a, key_a) < (kind_b, key_b) (migration 0009). */
export interface IdentityEdgesTable {
  template_id: string;
  kind_a: string;
  key_a: string | Buffer;
  kind_b: string;
  key_b: string | Buffer;
  first_seen: number;
  last_seen: number;
  session_count: number;
  version: number;
  updated_at: number;
}

/** One identity-graph node: an entity and the newest session time it was seen (migration 0011). */
export interface IdentityNodesTable {
  template_id: string;
  kind: string;
  entity_key: string | Buffer;
  last_seen: number;
  version: number;
  updated_at: number;
}

/** Per template, the lowest epoch no writer has claimed yet (migration 0012). */
export interface WriterEpochsTable {
  template_id: string;
  next_epoch: number;
  claimed_at: number;
}

export interface MigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: number;
}

export interface Database {
  templates: TemplatesTable;
  sessions: SessionsTable;
  session_fields: SessionFieldsTable;
  session_nodes: SessionNodesTable;
  field_catalog: FieldCatalogTable;
  orphans: OrphansTable;
  dead_letters: DeadLettersTable;
  late_queue: LateQueueTable;
  operator_actions: OperatorActionsTable;
  rollup_specs: RollupSpecsTable;
  rollups: RollupsTable;
  entity_states: EntityStatesTable;
  identity_edges: IdentityEdgesTable;
  identity_nodes: IdentityNodesTable;
  writer_epochs: WriterEpochsTable;
  weft_migrations: MigrationsTable;
}

export type TableName = keyof Database;
