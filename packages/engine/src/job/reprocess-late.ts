import { entityFieldName } from '@weft/templates';
import type {
  CompiledTemplate,
  EntityFeatureInput,
  LateRecord,
  Orphan,
  Session,
  SessionRetraction,
  Template,
} from '@weft/templates';
import { TimeWindow } from '../time/time-window.js';
import { sessionIdFor } from './correlation-job.js';
import {
  attachRecord,
  assembleSession,
  assemblyContext,
  baselineFields,
  contentOf,
  sessionJoinKey,
  withinAnchorBounds,
} from './session-assembly.js';
import type { AssemblyContext, Enricher, SessionContent } from './session-assembly.js';

/** What late reprocessing reads: the stored sessions of the key(s) concerned, and stored orphans. */
export interface StoredState {
  readonly sessions: readonly Session[];
  readonly orphans?: readonly Orphan[];
}

export interface LateOutcome {
  /** New versions of changed sessions (and a new session when a baseline record matched none). */
  readonly sessions: Session[];
  readonly retractions: SessionRetraction[];
  /** A late supplement that found no session. */
  readonly orphan: Orphan | null;
  /** Stored orphans that now attach to an updated session (their store rows can go). */
  readonly adoptedOrphans: Orphan[];
}

/**
 * Late-data reprocessing as a pure function, through the same attach /
 * derive / conclude code path as the live job (`session-assembly.ts`):
 * - a late baseline record joins (and, if it bridges, merges) the stored
 *   sessions of its key whose session window it touches, or starts a new
 *   session; the result has the id of its window's start, as in the live
 *   job, and stored sessions under other ids are retracted into it;
 * - a late supplement attaches to the earliest stored session exposing its
 *   key with an anchor within bounds, or is an orphan.
 * Updated sessions get the next version, `fireReason: 'late'` and status
 * closed: reprocessing runs once the live job can no longer hold the
 * sessions concerned (the correlator waits for that), so a stored version
 * that still says open is a leftover of a crashed run whose replay took
 * another path.
 *
 * Example: `reprocessLate({ sessions: stored }, lateRecord, compiled).sessions`.
 */
export function reprocessLate(
  stored: StoredState,
  late: LateRecord,
  compiled: CompiledTemplate,
  enrich?: Enricher,
): LateOutcome {
  const ctx = assemblyContext(compiled, enrich);
  const live = stored.sessions.filter((s) => s.mergedInto === null);
  return late.kind === 'baseline'
    ? lateBaseline(ctx, stored, live, late)
    : lateSupplement(ctx, live, stored.orphans ?? [], late);
}

function lateBaseline(
  ctx: AssemblyContext,
  stored: StoredState,
  live: readonly Session[],
  late: LateRecord,
): LateOutcome {
  const { template } = ctx.compiled;
  const businessKey = String(late.keys[template.baseline.key]);
  const gap = template.baseline.gap;
  const window = new TimeWindow(late.record.eventTime, late.record.eventTime + gap);
  const touching = live
    .filter(
      (s) => s.businessKey === businessKey && baselineWindow(s, gap)?.intersects(window) === true,
    )
    .sort((a, b) => a.start - b.start || (a.sessionId < b.sessionId ? -1 : 1));
  const [survivor, ...absorbed] = touching;
  // The id of the session window's start, as the live job's: the same whether
  // the record arrived on time or late. A survivor whose start moves is
  // retracted into the new id like the sessions the record bridges.
  const start = Math.min(
    late.record.eventTime,
    ...touching.map((s) => baselineWindow(s, gap)!.start),
  );
  const sessionId = sessionIdFor(template.id, businessKey, start);
  const content: SessionContent = survivor ? contentOf(survivor) : new Map();
  for (const s of absorbed)
    for (const node of s.nodes)
      for (const r of node.records) attachRecord(ctx, content, node.node, r);
  const retractions: SessionRetraction[] = touching
    .filter((s) => s.sessionId !== sessionId)
    .map((s) => ({
      sessionId: s.sessionId,
      templateId: template.id,
      mergedInto: sessionId,
      version: s.version + 1,
    }));
  // A redelivered copy of a record the (single) session already holds changes nothing.
  const attached = attachRecord(ctx, content, late.node, late.record);
  if (attached !== 'added' && absorbed.length === 0) return unchanged();
  const adoptedOrphans = adoptOrphans(ctx, content, stored.orphans ?? []);
  const session = assembleSession(
    ctx,
    content,
    {
      sessionId,
      businessKey,
      version: (survivor?.version ?? 0) + 1,
      status: 'closed',
      fireReason: 'late',
    },
    storedFeatures(template, survivor),
  );
  return { sessions: [session], retractions, orphan: null, adoptedOrphans };
}

function lateSupplement(
  ctx: AssemblyContext,
  live: readonly Session[],
  storedOrphans: readonly Orphan[],
  late: LateRecord,
): LateOutcome {
  const supplement = ctx.compiled.template.supplements.find((s) => s.id === late.node);
  const orphan: Orphan = {
    templateId: late.templateId,
    node: late.node,
    record: late.record,
    keys: late.keys,
  };
  if (supplement === undefined)
    return { sessions: [], retractions: [], orphan, adoptedOrphans: [] };
  const joinKey = JSON.stringify(supplement.join.map((j) => late.keys[j.record] ?? null));
  const target = [...live]
    .sort((a, b) => a.start - b.start || (a.sessionId < b.sessionId ? -1 : 1))
    .find((s) => {
      const content = contentOf(s);
      return (
        sessionJoinKey(supplement, baselineFields(ctx, content)) === joinKey &&
        withinAnchorBounds(ctx, supplement, content, late.record.eventTime)
      );
    });
  if (target === undefined) {
    // A redelivered copy of a record already stored as an orphan is not a second orphan.
    const known = storedOrphans.some(
      (o) => o.node === late.node && o.record.recordId === late.record.recordId,
    );
    return { sessions: [], retractions: [], orphan: known ? null : orphan, adoptedOrphans: [] };
  }
  const content = contentOf(target);
  // A redelivered copy, or a record a cardinality-`one` supplement does not keep, changes nothing.
  if (attachRecord(ctx, content, late.node, late.record) !== 'added') return unchanged();
  const session = assembleSession(
    ctx,
    content,
    { ...target, version: target.version + 1, status: 'closed', fireReason: 'late' },
    storedFeatures(ctx.compiled.template, target),
  );
  return { sessions: [session], retractions: [], orphan: null, adoptedOrphans: [] };
}

/**
 * The entity features a stored session carries (its `entity.<kind>.<feature>`
 * fields): late reprocessing has no profiles, so a reassembled session keeps
 * the values its stored version was evaluated with; the late record itself
 * is not observed into the profiles.
 */
function storedFeatures(template: Template, stored: Session | undefined): EntityFeatureInput {
  const out: Record<string, Record<string, number | null>> = {};
  for (const kind of template.entities?.kinds ?? []) {
    const values: Record<string, number | null> = {};
    for (const f of kind.features) {
      const value = stored?.fields[entityFieldName(kind.id, f.name)];
      values[f.name] = typeof value === 'number' ? value : null;
    }
    out[kind.id] = values;
  }
  return out;
}

function unchanged(): LateOutcome {
  return { sessions: [], retractions: [], orphan: null, adoptedOrphans: [] };
}

function adoptOrphans(
  ctx: AssemblyContext,
  content: SessionContent,
  orphans: readonly Orphan[],
): Orphan[] {
  const fields = baselineFields(ctx, content);
  return orphans.filter((orphan) => {
    const supplement = ctx.compiled.template.supplements.find((s) => s.id === orphan.node);
    if (supplement === undefined) return false;
    const joinKey = JSON.stringify(supplement.join.map((j) => orphan.keys[j.record] ?? null));
    if (sessionJoinKey(supplement, fields) !== joinKey) return false;
    if (!withinAnchorBounds(ctx, supplement, content, orphan.record.eventTime)) return false;
    // Matched: adopted even when cardinality `one` keeps another record (batch would not orphan it).
    return attachRecord(ctx, content, orphan.node, orphan.record) !== 'duplicate';
  });
}

/** The session window of a stored session: its baseline records' span plus the gap (supplements do not extend it). */
function baselineWindow(session: Session, gap: number): TimeWindow | null {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const node of session.nodes) {
    if (node.kind !== 'baseline') continue;
    for (const r of node.records) {
      first = Math.min(first, r.eventTime);
      last = Math.max(last, r.eventTime);
    }
  }
  return first === Number.POSITIVE_INFINITY ? null : new TimeWindow(first, last + gap);
}
