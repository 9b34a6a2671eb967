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
  /** Entity features as of the session's observation time, by kind then feature (`@weft/engine` profiles); null or missing = absent. */
  entities?: EntityFeatureInput;
}

/** Entity kind → feature name → value (null when the feature has no value, e.g. a max over nothing). */
export type EntityFeatureInput = Readonly<Record<string, Readonly<Record<string, number | null>>>>;

/** The variables of the session scope (README "CEL environment"). */
export interface SessionVars {
  f: Record<string, FieldValue>;
  nodes: Record<string, Readonly<Record<string, FieldValue>>>;
  records: Record<string, Readonly<Record<string, FieldValue>>[]>;
  has_node: Record<string, boolean>;
  count: Record<string, number>;
  time: Record<string, number>;
  session: { start: number; end: number; duration_ms: number; record_count: number };
  /** Entity features by kind, null values left out (absent keys, as for `f`). */
  entity?: Record<string, Record<string, number>>;
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

/** The records of node `id` (input nodes usually name each node once; repeats are concatenated). */
function recordsOf(input: SessionInput, id: string): readonly RecordInput[] {
  let found: readonly RecordInput[] | undefined;
  for (const node of input.nodes) {
    if (node.node !== id) continue;
    found = found === undefined ? node.records : [...found, ...node.records];
  }
  return found ?? NO_RECORDS;
}

/**
 * Builds the session-scope variables for the declared `nodeIds` and the
 * merged baseline fields: for each field, the first non-null value in
 * baseline-node order, then event-time order within a node. Runs once per
 * session evaluation, so it allocates only the variables themselves.
 */
export function buildSessionVars(
  input: SessionInput,
  nodeIds: readonly string[],
  baselineNodeIds: readonly string[],
): { vars: SessionVars; baseline: Record<string, FieldValue> } {
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
  let recordCount = 0;
  const sorted: (readonly RecordInput[])[] = [];
  for (const id of nodeIds) {
    const records = byEventTime(recordsOf(input, id));
    sorted.push(records);
    const views: Readonly<Record<string, FieldValue>>[] = [];
    for (const record of records) views.push(nullFreeView(record.fields));
    vars.records[id] = views;
    vars.has_node[id] = records.length > 0;
    vars.count[id] = records.length;
    const first = records[0];
    if (first !== undefined) {
      vars.nodes[id] = views[0] as Readonly<Record<string, FieldValue>>;
      vars.time[id] = first.eventTime;
      if (first.eventTime < start) start = first.eventTime;
      const last = (records[records.length - 1] as RecordInput).eventTime;
      if (last > end) end = last;
    }
    recordCount += records.length;
  }
  vars.session.record_count = recordCount;
  if (recordCount > 0) {
    vars.session.start = start;
    vars.session.end = end;
    vars.session.duration_ms = end - start;
  }
  const baseline: Record<string, FieldValue> = {};
  for (const id of baselineNodeIds) {
    const at = nodeIds.indexOf(id);
    const records = at >= 0 ? (sorted[at] as readonly RecordInput[]) : recordsOf(input, id);
    for (const record of records) {
      const fields = record.fields;
      for (const key in fields) {
        const value = fields[key];
        if (value !== null && value !== undefined && baseline[key] === undefined)
          baseline[key] = value;
      }
    }
  }
  return { vars, baseline };
}
