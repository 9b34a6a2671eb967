import type { FieldValue } from './session.js';

/** One record of a session as the evaluator needs it (a subset of `SessionRecord`). */
export interface RecordInput {
  eventTime: number;
  fields: Readonly<Record<string, FieldValue>>;
}

/** A session's records per node (a subset of `Session`), plus enrichment values looked up by the caller. */
export interface SessionInput {
  nodes: readonly { node: string; records: readonly RecordInput[] }[];
  /** Values of enrichment fields (`enrichment[].fields`), as looked up in the dimension tables. */
  enrichment?: Readonly<Record<string, FieldValue>>;
}

/** The variables of the session scope (README "CEL environment"). */
export interface SessionVars {
  f: Record<string, FieldValue>;
  nodes: Record<string, Readonly<Record<string, FieldValue>>>;
  records: Record<string, Readonly<Record<string, FieldValue>>[]>;
  has_node: Record<string, boolean>;
  count: Record<string, number>;
  time: Record<string, number>;
  session: { start: number; end: number; duration_ms: number; record_count: number };
}

/** Drops null values: in CEL an absent value is an absent key (`has(f.x)` is false). */
export function withoutNulls(
  fields: Readonly<Record<string, FieldValue>>,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== null && value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * {@link withoutNulls} for read-only use (CEL variables): the object itself
 * when it holds no null or undefined value, which is the common case, so
 * that evaluating a session does not copy every record.
 */
export function nullFreeView(
  fields: Readonly<Record<string, FieldValue>>,
): Readonly<Record<string, FieldValue>> {
  for (const key in fields) {
    const value = fields[key];
    if (value === null || value === undefined) return withoutNulls(fields);
  }
  return fields;
}

const NO_RECORDS: readonly RecordInput[] = [];

function byEventTime(records: readonly RecordInput[]): readonly RecordInput[] {
  for (let i = 1; i < records.length; i++) {
    if ((records[i] as RecordInput).eventTime < (records[i - 1] as RecordInput).eventTime) {
      return [...records].sort((a, b) => a.eventTime - b.eventTime);
    }
  }
  return records;
}

/**
 * Builds the session-scope variables for the declared `nodeIds` and the
 * merged baseline fields: for each field, the first non-null value in
 * baseline-node order, then event-time order within a node.
 */
export function buildSessionVars(
  input: SessionInput,
  nodeIds: readonly string[],
  baselineNodeIds: readonly string[],
): { vars: SessionVars; baseline: Record<string, FieldValue> } {
  const grouped = new Map<string, readonly RecordInput[]>();
  for (const node of input.nodes) {
    const list = grouped.get(node.node);
    grouped.set(node.node, list === undefined ? node.records : [...list, ...node.records]);
  }
  const vars: SessionVars = {
    f: {},
    nodes: {},
    records: {},
    has_node: {},
    count: {},
    time: {},
    session: { start: 0, end: 0, duration_ms: 0, record_count: 0 },
  };
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const sorted = new Map<string, readonly RecordInput[]>();
  for (const id of nodeIds) {
    const records = byEventTime(grouped.get(id) ?? NO_RECORDS);
    sorted.set(id, records);
    const views = records.map((r) => nullFreeView(r.fields));
    vars.records[id] = views;
    vars.has_node[id] = records.length > 0;
    vars.count[id] = records.length;
    const first = records[0];
    if (first !== undefined) {
      vars.nodes[id] = views[0] as Readonly<Record<string, FieldValue>>;
      vars.time[id] = first.eventTime;
      start = Math.min(start, first.eventTime);
      end = Math.max(end, (records[records.length - 1] as RecordInput).eventTime);
    }
    vars.session.record_count += records.length;
  }
  if (vars.session.record_count > 0) {
    vars.session.start = start;
    vars.session.end = end;
    vars.session.duration_ms = end - start;
  }
  const baseline: Record<string, FieldValue> = {};
  for (const id of baselineNodeIds) {
    for (const record of sorted.get(id) ?? NO_RECORDS) {
      for (const key in record.fields) {
        const value = record.fields[key];
        if (value !== null && value !== undefined && baseline[key] === undefined)
          baseline[key] = value;
      }
    }
  }
  return { vars, baseline };
}
