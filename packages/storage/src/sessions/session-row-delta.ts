import type { FieldValue, Session } from '@weft/templates';
import type { SessionFieldsTable, SessionNodesTable, SessionsTable } from '../schema.js';
import { fieldRow, sessionToFieldRows, sessionToNodeRows } from './session-converters.js';

/** What the stored version of a session left in `session_fields`, read from its `sessions` row. */
export type StoredFieldSource = Pick<SessionsTable, 'template_id' | 'start_time' | 'fields_json'>;

/** The field rows a new version changes: rows to write (insert or overwrite) and field names to delete. */
export interface FieldRowDelta {
  readonly write: SessionFieldsTable[];
  readonly remove: string[];
}

/** The node rows a new version changes: rows to write and the first stored position to delete from (null: none). */
export interface NodeRowDelta {
  readonly write: SessionNodesTable[];
  readonly removeFrom: number | null;
}

/** The columns of a field row besides its key (session, field). */
export const FIELD_VALUE_COLUMNS = [
  'template_id',
  'value_kind',
  'str_value',
  'num_value',
  'start_time',
] as const satisfies readonly (keyof SessionFieldsTable)[];

/** The columns of a node row besides its key (session, position). */
export const NODE_VALUE_COLUMNS = [
  'node',
  'kind',
  'records_json',
] as const satisfies readonly (keyof SessionNodesTable)[];

/**
 * The `session_fields` rows that turn the stored version's rows into the
 * new version's. The stored rows are exactly `sessionToFieldRows` of the
 * stored row's fields (they are only ever written together, in one
 * transaction), so the new fields are compared with `fields_json` by value
 * instead of reading the rows. A later version mostly repeats the fields of
 * the one before: for the live job's coalesced purchase (four versions) the
 * server writes a third of the rows a full rewrite did, and each row written
 * is also an entry written into the value index.
 *
 * Example: fieldRowDelta(v2, storedRowOfV1) → { write: [rows of the fields v2 changed or added], remove: [fields v2 dropped] }
 */
export function fieldRowDelta(session: Session, stored?: StoredFieldSource): FieldRowDelta {
  if (stored === undefined) return { write: sessionToFieldRows(session), remove: [] };
  const before = JSON.parse(stored.fields_json) as Record<string, FieldValue>;
  // Start time and template are columns of every row: when either moved, every row is written.
  if (Number(stored.start_time) !== session.start || stored.template_id !== session.templateId) {
    return { write: sessionToFieldRows(session), remove: absentFrom(session, before) };
  }
  // A row is a function of its value: an equal value leaves an equal row.
  const write: SessionFieldsTable[] = [];
  for (const [field, value] of Object.entries(session.fields)) {
    if (!Object.hasOwn(before, field) || before[field] !== value)
      write.push(fieldRow(session, field, value));
  }
  return { write, remove: absentFrom(session, before) };
}

function absentFrom(session: Session, before: Record<string, FieldValue>): string[] {
  return Object.keys(before).filter((field) => !Object.hasOwn(session.fields, field));
}

/**
 * The `session_nodes` rows that turn the stored rows (read in the same
 * transaction; undefined for a session not stored) into the new version's:
 * rows by position that differ, and the positions past the new last node.
 */
export function nodeRowDelta(
  session: Session,
  stored:
    readonly Pick<SessionNodesTable, 'position' | 'node' | 'kind' | 'records_json'>[] | undefined,
): NodeRowDelta {
  const rows = sessionToNodeRows(session);
  if (stored === undefined) return { write: rows, removeFrom: null };
  const before = new Map(stored.map((row) => [Number(row.position), row]));
  const write = rows.filter((row) => {
    const old = before.get(row.position);
    return old === undefined || NODE_VALUE_COLUMNS.some((column) => old[column] !== row[column]);
  });
  const beyond = [...before.keys()].some((position) => position >= rows.length);
  return { write, removeFrom: beyond ? rows.length : null };
}
