import type {
  CompiledTemplate,
  EntityFeatureInput,
  FieldValue,
  FireReason,
  Session,
  SessionRecord,
  SessionStatus,
  Supplement,
} from '@weft/templates';
import { closeBounds, withinBounds } from '../join/interval-bounds.js';
import type { ClosedBounds } from '../join/interval-bounds.js';

/**
 * Enrichment hook: given the session's baseline fields, the values of the
 * template's enrichment fields. It must be synchronous and pure (the
 * correlator resolves dimension rows beforehand, e.g. from a cache).
 */
export type Enricher = (fields: Readonly<Record<string, FieldValue>>) => Record<string, FieldValue>;

/** What the attach/derive/conclude code path needs, built once per template. */
export interface AssemblyContext {
  readonly compiled: CompiledTemplate;
  readonly enrich?: Enricher;
  readonly bounds: ReadonlyMap<string, ClosedBounds>;
  readonly nodeIds: readonly string[];
  readonly baselineIds: readonly string[];
  /** Supplements of cardinality `one`: a session keeps only their earliest matching record. */
  readonly singleSupplements: ReadonlySet<string>;
}

/** A session's records per node id, deduplicated by record id. */
export type SessionContent = Map<string, SessionRecord[]>;

export interface SessionMeta {
  readonly sessionId: string;
  readonly businessKey: string;
  readonly version: number;
  readonly status: SessionStatus;
  readonly fireReason: FireReason;
}

export function assemblyContext(compiled: CompiledTemplate, enrich?: Enricher): AssemblyContext {
  const { template } = compiled;
  const bounds = new Map<string, ClosedBounds>();
  for (const s of template.supplements) {
    bounds.set(
      s.id,
      closeBounds({
        lowerMs: s.lower,
        upperMs: s.upper,
        lowerInclusive: s.lowerInclusive,
        upperInclusive: s.upperInclusive,
      }),
    );
  }
  const baselineIds = template.baseline.nodes.map((n) => n.id);
  return {
    compiled,
    enrich,
    bounds,
    baselineIds,
    nodeIds: [...baselineIds, ...template.supplements.map((s) => s.id)],
    singleSupplements: new Set(
      template.supplements.filter((s) => s.cardinality === 'one').map((s) => s.id),
    ),
  };
}

/** Adds a record to a node unless a record with the same id is already in the session. */
export function addRecord(content: SessionContent, node: string, record: SessionRecord): boolean {
  for (const records of content.values())
    if (records.some((r) => r.recordId === record.recordId)) return false;
  const list = content.get(node);
  if (list === undefined) content.set(node, [record]);
  else list.push(record);
  return true;
}

/** What attaching a record did: added it, ignored it (cardinality `one` keeps an earlier one), or it was already there. */
export type Attached = 'added' | 'ignored' | 'duplicate';

/**
 * Attaches a record to a node of a session, deduplicated by record id. A
 * supplement of cardinality `one` keeps only its earliest matching record
 * (event time, then record id), whatever the arrival order, so that
 * streaming, late reprocessing and batch mode agree; the others matched the
 * session (they are not orphans) but are not attached.
 */
export function attachRecord(
  ctx: AssemblyContext,
  content: SessionContent,
  node: string,
  record: SessionRecord,
): Attached {
  const list = content.get(node);
  if (list === undefined || list.length === 0 || !ctx.singleSupplements.has(node))
    return addRecord(content, node, record) ? 'added' : 'duplicate';
  for (const records of content.values())
    if (records.some((r) => r.recordId === record.recordId)) return 'duplicate';
  if (compareRecords(record, list[0]!) >= 0) return 'ignored';
  content.set(node, [record]);
  return 'added';
}

/**
 * The merged baseline fields (first non-null value in baseline-node order,
 * then event time, then record id): what `buildSessionVars` computes as
 * `baseline`, without building the other session variables.
 */
export function baselineFields(
  ctx: AssemblyContext,
  content: SessionContent,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const id of ctx.baselineIds) {
    const records = content.get(id);
    if (records === undefined || records.length === 0) continue;
    for (const r of records.length === 1 ? records : sortedRecords(records)) {
      const fields = r.fields;
      for (const key in fields) {
        const value = fields[key];
        if (value !== null && value !== undefined && out[key] === undefined) out[key] = value;
      }
    }
  }
  return out;
}

/** The composite key a session exposes for a supplement, or null while a key field is unknown. */
export function sessionJoinKey(
  supplement: Supplement,
  fields: Readonly<Record<string, FieldValue>>,
): string | null {
  const values = supplement.join.map((j) => fields[j.session] ?? null);
  return values.includes(null) ? null : JSON.stringify(values);
}

/** Whether a supplement record at `ts` lies within the bounds around one of the session's anchor records. */
export function withinAnchorBounds(
  ctx: AssemblyContext,
  supplement: Supplement,
  content: SessionContent,
  ts: number,
): boolean {
  const bounds = ctx.bounds.get(supplement.id)!;
  return (content.get(supplement.anchor) ?? []).some((anchor) =>
    withinBounds(bounds, anchor.eventTime, ts),
  );
}

/** A session's content evaluated: sorted nodes, time span, derived fields and verdicts. */
export interface ContentEvaluation {
  readonly nodes: Session['nodes'];
  readonly start: number;
  readonly end: number;
  readonly fields: Session['fields'];
  readonly verdicts: Session['verdicts'];
  readonly verdict: Session['verdict'];
}

/** The enrichment values for a session's baseline fields, or undefined without an enricher. */
export function enrichmentOf(
  ctx: AssemblyContext,
  baseline: Readonly<Record<string, FieldValue>>,
): Record<string, FieldValue> | undefined {
  return ctx.enrich?.(baseline);
}

/** Derives fields and conclusions of a session's content (`enrichment` from {@link enrichmentOf}, `entities` from the job's profiles). */
export function evaluateContent(
  ctx: AssemblyContext,
  content: SessionContent,
  enrichment: Record<string, FieldValue> | undefined,
  entities?: EntityFeatureInput,
): ContentEvaluation {
  const nodes = nodesOf(ctx, content);
  const outcome = ctx.compiled.evaluate({
    nodes,
    ...(enrichment !== undefined ? { enrichment } : {}),
    ...(entities !== undefined ? { entities } : {}),
  });
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const node of nodes) {
    const records = node.records;
    // Sorted by event time: the first and last record bound the node.
    if (records[0]!.eventTime < start) start = records[0]!.eventTime;
    if (records[records.length - 1]!.eventTime > end) end = records[records.length - 1]!.eventTime;
  }
  return {
    nodes,
    start,
    end,
    fields: outcome.fields,
    verdicts: outcome.verdicts,
    verdict: outcome.verdict,
  };
}

/**
 * A fresh copy of an evaluation's containers (nodes, record lists, fields,
 * verdicts), so that a reused evaluation never shares mutable objects
 * between two emitted versions. Records themselves are shared, as always.
 */
export function copyEvaluation(evaluation: ContentEvaluation): ContentEvaluation {
  const verdicts = evaluation.verdicts.map((v) => ({ ...v, inputs: { ...v.inputs } }));
  const first = evaluation.verdict === null ? null : verdicts[0]!;
  return {
    nodes: evaluation.nodes.map((n) => ({ node: n.node, kind: n.kind, records: [...n.records] })),
    start: evaluation.start,
    end: evaluation.end,
    fields: { ...evaluation.fields },
    verdicts,
    verdict: first,
  };
}

/** One `Session` version from an evaluation of its content. */
export function sessionOf(
  ctx: AssemblyContext,
  evaluation: ContentEvaluation,
  meta: SessionMeta,
): Session {
  return {
    sessionId: meta.sessionId,
    templateId: ctx.compiled.template.id,
    templateVersion: ctx.compiled.template.version,
    businessKey: meta.businessKey,
    version: meta.version,
    status: meta.status,
    fireReason: meta.fireReason,
    start: evaluation.start,
    end: evaluation.end,
    nodes: evaluation.nodes,
    fields: evaluation.fields,
    verdicts: evaluation.verdicts,
    verdict: evaluation.verdict,
    mergedInto: null,
  };
}

/** Derives fields and conclusions and builds one `Session` version: the single code path for live and late data. */
export function assembleSession(
  ctx: AssemblyContext,
  content: SessionContent,
  meta: SessionMeta,
  entities?: EntityFeatureInput,
): Session {
  const enrichment =
    ctx.enrich === undefined ? undefined : enrichmentOf(ctx, baselineFields(ctx, content));
  return sessionOf(ctx, evaluateContent(ctx, content, enrichment, entities), meta);
}

/** A stored session's content, to continue from it (late reprocessing). */
export function contentOf(session: Session): SessionContent {
  return new Map(session.nodes.map((n) => [n.node, [...n.records]]));
}

function compareRecords(a: SessionRecord, b: SessionRecord): number {
  return (
    a.eventTime - b.eventTime || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0)
  );
}

/** A sorted copy (event time, then record id), or the list itself when it is already sorted. */
function sortedRecords(records: readonly SessionRecord[]): readonly SessionRecord[] {
  for (let i = 1; i < records.length; i++)
    if (compareRecords(records[i - 1]!, records[i]!) > 0) return [...records].sort(compareRecords);
  return records;
}

function nodesOf(ctx: AssemblyContext, content: SessionContent): Session['nodes'] {
  const nodes: Session['nodes'] = [];
  const baselineCount = ctx.baselineIds.length;
  const ids = ctx.nodeIds;
  for (let i = 0; i < ids.length; i++) {
    const node = ids[i]!;
    const records = content.get(node);
    if (records === undefined || records.length === 0) continue;
    const sorted = sortedRecords(records);
    nodes.push({
      node,
      kind: i < baselineCount ? 'baseline' : 'supplement',
      records: sorted === records ? [...records] : (sorted as SessionRecord[]),
    });
  }
  return nodes;
}
