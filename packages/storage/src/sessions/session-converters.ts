import type { FieldValue, Session, SessionNode, Verdict } from '@weft/templates';
import type { RollupSubject } from '../rollups/contributions.js';
import type { SessionFieldsTable, SessionNodesTable, SessionsTable, ValueKind } from '../schema.js';

/** Strings longer than this are indexed by their prefix only (kind `l`). */
export const INDEXED_STRING_CHARS = 255;

/** A stored session without its nodes: what searches and listings return. */
export type SessionSummary = Omit<Session, 'nodes'>;

/** Maps a session to its `sessions` row. Assumes the session passed SessionSchema. */
export function sessionToRow(session: Session, now: number): SessionsTable {
  return {
    session_id: session.sessionId,
    template_id: session.templateId,
    template_version: session.templateVersion,
    business_key: session.businessKey,
    version: session.version,
    status: session.status,
    fire_reason: session.fireReason,
    start_time: session.start,
    end_time: session.end,
    verdict: session.verdict?.conclusion ?? null,
    severity: session.verdict?.severity ?? null,
    merged_into: session.mergedInto,
    fields_json: JSON.stringify(session.fields),
    verdicts_json: JSON.stringify(session.verdicts),
    verdict_json: session.verdict === null ? null : JSON.stringify(session.verdict),
    updated_at: now,
  };
}

/** One session_fields row per field: the column-to-row layout that makes every field searchable. */
export function sessionToFieldRows(session: Session): SessionFieldsTable[] {
  return Object.entries(session.fields).map(([field, value]) => fieldRow(session, field, value));
}

/** The session_fields row of one field of a session. */
export function fieldRow(session: Session, field: string, value: FieldValue): SessionFieldsTable {
  return {
    session_id: session.sessionId,
    field,
    template_id: session.templateId,
    ...encodeFieldValue(value),
    start_time: session.start,
  };
}

/** The typed columns of one field value. */
export function encodeFieldValue(
  value: FieldValue,
): Pick<SessionFieldsTable, 'value_kind' | 'str_value' | 'num_value'> {
  if (value === null) return { value_kind: 'z', str_value: null, num_value: null };
  if (typeof value === 'boolean')
    return { value_kind: 'b', str_value: null, num_value: value ? 1 : 0 };
  if (typeof value === 'number') return { value_kind: 'n', str_value: null, num_value: value };
  const wellFormed = toWellFormed(value);
  // UTF-16 length bounds the code point count: short strings skip the split.
  if (wellFormed.length <= INDEXED_STRING_CHARS)
    return { value_kind: 's', str_value: wellFormed, num_value: null };
  const chars = Array.from(wellFormed);
  if (chars.length <= INDEXED_STRING_CHARS)
    return { value_kind: 's', str_value: wellFormed, num_value: null };
  return {
    value_kind: 'l',
    str_value: chars.slice(0, INDEXED_STRING_CHARS).join(''),
    num_value: null,
  };
}

export function sessionToNodeRows(session: Session): SessionNodesTable[] {
  return session.nodes.map((node, position) => ({
    session_id: session.sessionId,
    position,
    node: node.node,
    kind: node.kind,
    records_json: JSON.stringify(node.records),
  }));
}

/** The session attributes a summary row carries (every column but the nodes). */
export type SummaryColumns = Pick<
  SessionsTable,
  | 'session_id'
  | 'template_id'
  | 'template_version'
  | 'business_key'
  | 'version'
  | 'status'
  | 'fire_reason'
  | 'start_time'
  | 'end_time'
  | 'merged_into'
  | 'fields_json'
  | 'verdicts_json'
  | 'verdict_json'
>;

export const SUMMARY_COLUMNS = [
  'session_id',
  'template_id',
  'template_version',
  'business_key',
  'version',
  'status',
  'fire_reason',
  'start_time',
  'end_time',
  'merged_into',
  'fields_json',
  'verdicts_json',
  'verdict_json',
] as const;

export function rowToSummary(row: SummaryColumns): SessionSummary {
  return {
    sessionId: row.session_id,
    templateId: row.template_id,
    templateVersion: Number(row.template_version),
    businessKey: row.business_key,
    version: Number(row.version),
    status: row.status as Session['status'],
    fireReason: row.fire_reason as Session['fireReason'],
    start: Number(row.start_time),
    end: Number(row.end_time),
    fields: JSON.parse(row.fields_json) as Session['fields'],
    verdicts: JSON.parse(row.verdicts_json) as Verdict[],
    verdict: row.verdict_json === null ? null : (JSON.parse(row.verdict_json) as Verdict),
    mergedInto: row.merged_into,
  };
}

export function rowsToNodes(rows: readonly SessionNodesTable[]): SessionNode[] {
  return [...rows]
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((row) => ({
      node: row.node,
      kind: row.kind as SessionNode['kind'],
      records: JSON.parse(row.records_json) as SessionNode['records'],
    }));
}

/** What a stored row contributes to rollups (the same as the session it came from). */
export function rowToRollupSubject(
  row: Pick<
    SessionsTable,
    | 'start_time'
    | 'end_time'
    | 'fields_json'
    | 'verdict_json'
    | 'status'
    | 'fire_reason'
    | 'template_version'
  >,
): RollupSubject {
  return {
    start: Number(row.start_time),
    end: Number(row.end_time),
    fields: JSON.parse(row.fields_json) as Session['fields'],
    verdict: row.verdict_json === null ? null : (JSON.parse(row.verdict_json) as Verdict),
    status: row.status as Session['status'],
    fireReason: row.fire_reason as Session['fireReason'],
    templateVersion: Number(row.template_version),
  };
}

export function kindOf(value: FieldValue): ValueKind {
  if (value === null) return 'z';
  if (typeof value === 'boolean') return 'b';
  if (typeof value === 'number') return 'n';
  return value.length <= INDEXED_STRING_CHARS ? 's' : encodeFieldValue(value).value_kind;
}

/** ES2024's String well-formedness methods (Node 20 has them; the ES2023 lib does not declare them). */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** Replaces lone UTF-16 surrogates (which utf8mb4 cannot store) with U+FFFD. */
export function toWellFormed(text: string): string {
  const native = text as unknown as WellFormedString;
  return native.isWellFormed() ? text : native.toWellFormed();
}
