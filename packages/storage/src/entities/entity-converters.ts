import type { EntityStatesTable, IdentityEdgesTable } from '../schema.js';

/** One entity: its kind (account, device, card) and its key (the entity field's value, as text). */
export interface EntityRef {
  kind: string;
  key: string;
}

/** One entity's stored profile state, as `entityStates.page` and `export` return it. */
export interface StoredEntityState {
  templateId: string;
  kind: string;
  key: string;
  /** The state's format, e.g. `weft.profiles/1`. */
  format: string;
  /** The checkpoint version that wrote it. */
  version: number;
  /** The state exactly as saved (JSON text). */
  state: string;
  /** Wall-clock time (epoch ms) of the save. */
  updatedAt: number;
}

/** An identity-graph edge: two entities seen in the same sessions. `a` sorts before `b`. */
export interface IdentityEdge {
  templateId: string;
  a: EntityRef;
  b: EntityRef;
  /** Earliest and newest session time that linked them (epoch ms). */
  firstSeen: number;
  lastSeen: number;
  /** Sessions that linked them, as their writer counted. */
  sessions: number;
  version: number;
}

/** An identity-graph node: an entity and the newest session time it was seen at. */
export interface IdentityNode {
  templateId: string;
  kind: string;
  key: string;
  lastSeen: number;
  version: number;
}

/** What a versioned save did: rows written, and rows left alone because the stored version was as new or newer. */
export interface VersionedSaveResult {
  written: number;
  stale: number;
}

/** Text of a key column: the MySQL family returns VARBINARY as a Buffer of UTF-8, SQLite a string. */
export function keyText(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** Orders two entities the way edges are stored: by kind, then key (UTF-16 code units; any fixed order would do). */
export function compareRefs(x: EntityRef, y: EntityRef): number {
  if (x.kind !== y.kind) return x.kind < y.kind ? -1 : 1;
  if (x.key === y.key) return 0;
  return x.key < y.key ? -1 : 1;
}

export function rowToEntityState(
  row: Omit<EntityStatesTable, 'state_json'> & { state_json: string },
): StoredEntityState {
  return {
    templateId: row.template_id,
    kind: row.kind,
    key: keyText(row.entity_key),
    format: row.format,
    version: Number(row.version),
    state: row.state_json,
    updatedAt: Number(row.updated_at),
  };
}

export function rowToIdentityEdge(row: Omit<IdentityEdgesTable, 'updated_at'>): IdentityEdge {
  return {
    templateId: row.template_id,
    a: { kind: row.kind_a, key: keyText(row.key_a) },
    b: { kind: row.kind_b, key: keyText(row.key_b) },
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
    sessions: Number(row.session_count),
    version: Number(row.version),
  };
}

/** The columns `rowToIdentityEdge` reads. */
export const EDGE_COLUMNS = [
  'template_id',
  'kind_a',
  'key_a',
  'kind_b',
  'key_b',
  'first_seen',
  'last_seen',
  'session_count',
  'version',
] as const;
