import type { EntityFeatureInput, FieldValue, FireReason, SessionStatus } from '@weft/templates';
import { refAt } from '../snapshot/snapshot-encoding.js';
import type { ObjectTable } from '../snapshot/snapshot-encoding.js';
import type { BaselineElement } from './baseline-completeness.js';
import { baselineFields } from './session-assembly.js';
import type { AssemblyContext, ContentEvaluation, SessionContent } from './session-assembly.js';
import type { SessionProfileState } from './session-profiles.js';

type Record_ = BaselineElement['record'];
export type Enrichment = Record<string, FieldValue> | undefined;

/** A session that fired at least once and can still take supplements. */
export interface LiveSession {
  /**
   * Its session id: template, business key and the start of its window when
   * it last fired. The start only moves earlier, and the id with it (the
   * window operator's `identityFollowsStart`), so the id is the same for any
   * arrival order.
   */
  id: string;
  /** The id its last emitted version carried (null before the first): when it differs from `id`, the next emission retracts it. */
  emittedAs: string | null;
  readonly businessKey: string;
  version: number;
  status: SessionStatus;
  fireReason: FireReason;
  baseline: SessionContent;
  /** Record ids of `baseline`. */
  baselineIds: Set<string>;
  /** The window contents `baseline` was last built from, and their length then. */
  firedContents: readonly BaselineElement[] | null;
  firedLength: number;
  /** Merged baseline fields of `baseline`. */
  fields: Record<string, FieldValue>;
  readonly supplements: SessionContent;
  /** Join key exposed per supplement id. */
  readonly exposed: Map<string, string>;
  windowOpen: boolean;
  /** An update is held back until the next flush (the job's `coalesce` option). */
  pendingEmit: boolean;
  /**
   * The last evaluation (derived fields, verdicts) and the enrichment it saw.
   * Cleared whenever the content changes; an emission with unchanged content
   * and enrichment reuses it (evaluation is a pure function of both).
   */
  evaluated: {
    readonly evaluation: ContentEvaluation;
    readonly enrichment: Enrichment;
    /** The entity features it was evaluated with (the object the profiles returned), when the template has entities. */
    readonly entities?: EntityFeatureInput;
  } | null;
  /** Its place in the entity profiles (templates with `entities`), from its first emission. */
  profile: SessionProfileState | null;
}

/** A live session as plain data; records are ids into the checkpoint's record table. */
export interface LiveSessionSnapshot {
  readonly id: string;
  /** Absent in snapshots taken before ids followed the start: `id` once emitted. */
  readonly emittedAs?: string | null;
  readonly businessKey: string;
  readonly version: number;
  readonly status: SessionStatus;
  readonly fireReason: FireReason;
  readonly baseline: readonly (readonly [string, readonly number[]])[];
  readonly supplements: readonly (readonly [string, readonly number[]])[];
  readonly exposed: readonly (readonly [string, string])[];
  readonly windowOpen: boolean;
  readonly profile?: SessionProfileState | null;
}

export function newLiveSession(id: string, businessKey: string): LiveSession {
  return {
    id,
    emittedAs: null,
    businessKey,
    version: 0,
    status: 'open',
    fireReason: 'complete',
    baseline: new Map(),
    baselineIds: new Set(),
    firedContents: null,
    firedLength: 0,
    fields: {},
    supplements: new Map(),
    exposed: new Map(),
    windowOpen: true,
    pendingEmit: false,
    evaluated: null,
    profile: null,
  };
}

export function snapshotLiveSession(
  session: LiveSession,
  records: ObjectTable<Record_>,
): LiveSessionSnapshot {
  const content = (c: SessionContent) =>
    [...c].map(([node, list]) => [node, list.map((r) => records.idOf(r))] as const);
  return {
    id: session.id,
    emittedAs: session.emittedAs,
    businessKey: session.businessKey,
    version: session.version,
    status: session.status,
    fireReason: session.fireReason,
    baseline: content(session.baseline),
    supplements: content(session.supplements),
    exposed: [...session.exposed],
    windowOpen: session.windowOpen,
    ...(session.profile === null ? {} : { profile: structuredClone(session.profile) }),
  };
}

/**
 * A live session from its snapshot. Caches are rebuilt empty: the next firing
 * rebuilds the baseline from the window (same record ids, so nothing changes)
 * and the next emission evaluates afresh (the same pure function of content).
 */
export function restoreLiveSession(
  ctx: AssemblyContext,
  s: LiveSessionSnapshot,
  records: readonly Record_[],
): LiveSession {
  const content = (entries: LiveSessionSnapshot['baseline']): SessionContent =>
    new Map(
      entries.map(([node, ids]) => [node, ids.map((id) => refAt(records, id, 'record'))] as const),
    );
  const baseline = content(s.baseline);
  const baselineIds = new Set<string>();
  for (const list of baseline.values()) for (const r of list) baselineIds.add(r.recordId);
  return {
    ...newLiveSession(s.id, s.businessKey),
    emittedAs: s.emittedAs !== undefined ? s.emittedAs : s.version > 0 ? s.id : null,
    version: s.version,
    status: s.status,
    fireReason: s.fireReason,
    baseline,
    baselineIds,
    fields: baselineFields(ctx, baseline),
    supplements: content(s.supplements),
    exposed: new Map(s.exposed),
    windowOpen: s.windowOpen,
    profile: s.profile === undefined || s.profile === null ? null : structuredClone(s.profile),
  };
}

/** The window's elements, deduplicated by record id (first occurrence wins, as `addRecord`). */
export function rebuildBaseline(
  ctx: AssemblyContext,
  session: LiveSession,
  contents: readonly BaselineElement[],
): void {
  session.firedContents = contents;
  session.firedLength = contents.length;
  const baseline: SessionContent = new Map();
  const ids = new Set<string>();
  for (const { node, record } of contents) {
    if (ids.has(record.recordId)) continue;
    ids.add(record.recordId);
    const list = baseline.get(node);
    if (list === undefined) baseline.set(node, [record]);
    else list.push(record);
  }
  if (!sameIds(ids, session.baselineIds)) {
    session.baseline = baseline;
    session.baselineIds = ids;
    baselineChanged(ctx, session);
  }
}

/**
 * The elements appended to the window since the last firing, added in
 * place. Per-node order may differ from a rebuild's; every reader sorts
 * (event time, record id) or does not depend on order.
 */
export function appendBaseline(
  ctx: AssemblyContext,
  session: LiveSession,
  contents: readonly BaselineElement[],
): void {
  let changed = false;
  for (let i = session.firedLength; i < contents.length; i++) {
    const { node, record } = contents[i]!;
    if (session.baselineIds.has(record.recordId)) continue;
    session.baselineIds.add(record.recordId);
    const list = session.baseline.get(node);
    if (list === undefined) session.baseline.set(node, [record]);
    else list.push(record);
    changed = true;
  }
  session.firedLength = contents.length;
  if (changed) baselineChanged(ctx, session);
}

function baselineChanged(ctx: AssemblyContext, session: LiveSession): void {
  session.fields = baselineFields(ctx, session.baseline);
  session.evaluated = null;
}

function sameIds(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

/** The watermark after which no supplement can join the session any more (its last anchor + upper bound). */
export function joinableUntil(ctx: AssemblyContext, session: LiveSession): number {
  let until = Number.NEGATIVE_INFINITY;
  for (const supplement of ctx.compiled.template.supplements) {
    const upper = ctx.bounds.get(supplement.id)!.upperMs;
    for (const anchor of session.baseline.get(supplement.anchor) ?? [])
      until = Math.max(until, anchor.eventTime + upper + 1);
  }
  return until;
}
