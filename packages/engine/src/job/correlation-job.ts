import type {
  CompiledTemplate,
  FireReason,
  Session,
  SessionRecord,
  Supplement,
} from '@weft/templates';
import { SnapshotInCallbackError } from '../errors.js';
import { ObjectTable, refAt } from '../snapshot/snapshot-encoding.js';
import { TimerHeap } from '../time/timer-heap.js';
import type { TimeWindow } from '../time/time-window.js';
import { sessionWindows } from '../windowing/session-window-assigner.js';
import { sessionTrigger } from '../windowing/triggers/session-trigger.js';
import { WindowOperator } from '../windowing/window-operator.js';
import type {
  WindowFiring,
  WindowOperatorOptions,
  WindowRetraction,
} from '../windowing/window-operator.js';
import { baselineCompleteness } from './baseline-completeness.js';
import type { BaselineElement } from './baseline-completeness.js';
import type { JobEvent } from './job-events.js';
import { JOB_SNAPSHOT_FORMAT, checkJobSnapshot } from './job-snapshot.js';
import type { JobSnapshot } from './job-snapshot.js';
import {
  appendBaseline,
  newLiveSession,
  rebuildBaseline,
  restoreLiveSession,
  snapshotLiveSession,
} from './live-session.js';
import type { Enrichment, LiveSession } from './live-session.js';
import { windowCodec } from './window-codec.js';
import {
  addRecord,
  assemblyContext,
  copyEvaluation,
  enrichmentOf,
  evaluateContent,
  sessionJoinKey,
  sessionOf,
  withinAnchorBounds,
} from './session-assembly.js';
import type {
  AssemblyContext,
  ContentEvaluation,
  Enricher,
  SessionContent,
} from './session-assembly.js';
import { SupplementBuffer } from './supplement-buffer.js';
import type { PendingSupplement } from './supplement-buffer.js';
import { prepareRecord } from './unified-view.js';
import type { RawInput, RoutedRecord } from './unified-view.js';

export interface CorrelationJobOptions {
  readonly emit: (event: JobEvent) => void;
  readonly enrich?: Enricher;
}

/**
 * The correlation job compiled from a template, as a pure state machine:
 * raw lines → unified views (or dead letters) → baseline clusters (session
 * windows keyed by the business key, session trigger) → keys exposed by each
 * fired cluster → supplements attached by key within bounds around the anchor
 * → derived fields and conclusions → `Session` upserts, retractions, orphans,
 * late records. Time comes only from `advanceWatermark`/`advanceProcessingTime`.
 *
 * Example:
 *   const job = new CorrelationJob(compileTemplate(template), { emit: (e) => events.push(e) });
 *   job.ingest({ source: 'pay_done', raw: line }); job.advanceWatermark(w);
 */
export class CorrelationJob {
  private readonly ctx: AssemblyContext;
  private readonly baselineOptions: WindowOperatorOptions<BaselineElement, BaselineElement[]>;
  private baseline: WindowOperator<BaselineElement, BaselineElement[]>;
  /** Depth of `emit` calls in progress: a snapshot taken from inside one would be torn. */
  private emitting = 0;
  private readonly sessions = new Map<string, LiveSession>();
  /** supplement id → exposed join key → sessions exposing it. */
  private readonly keyIndex = new Map<string, Map<string, Set<LiveSession>>>();
  private readonly pending: SupplementBuffer;
  private readonly removals = new TimerHeap<LiveSession>();
  private readonly supplementsById: Map<string, Supplement>;

  private readonly options: CorrelationJobOptions;

  constructor(
    readonly compiled: CompiledTemplate,
    options: CorrelationJobOptions,
  ) {
    this.options = {
      ...options,
      emit: (event) => {
        this.emitting++;
        try {
          options.emit(event);
        } finally {
          this.emitting--;
        }
      },
    };
    const { baseline } = compiled.template;
    this.ctx = assemblyContext(compiled, options.enrich);
    this.supplementsById = new Map(compiled.template.supplements.map((s) => [s.id, s]));
    // A pending supplement waits until its latest possible anchor's session must have fired once.
    this.pending = new SupplementBuffer(
      baseline.gap - 1 + baseline.allowedLateness + baseline.maxSpan,
    );
    this.baselineOptions = {
      assigner: sessionWindows(baseline.gap),
      trigger: sessionTrigger({
        completeness: baselineCompleteness(compiled),
        timeoutMs: baseline.timeout,
      }),
      aggregate: {
        create: (): BaselineElement[] => [],
        add: (acc, element) => {
          acc.push(element);
          return acc;
        },
        merge: (a, b) => a.concat(b),
      },
      allowedLatenessMs: baseline.allowedLateness,
      retractAbsorbedFirings: true,
      output: {
        fired: (firing) => this.onBaselineFired(firing),
        late: (key, element) =>
          this.emitLate(element.node, 'baseline', { [baseline.key]: key }, element.record),
        retracted: (retraction) => this.onRetracted(retraction),
        expired: (key, _window, session) => this.onWindowExpired(key, session),
      },
    };
    this.baseline = new WindowOperator(this.baselineOptions);
  }

  /**
   * The job's whole state as plain JSON data (see {@link JobSnapshot}):
   * `JSON.parse(JSON.stringify(snapshot))` restores identically. Take it
   * between calls (as Flink takes checkpoints between elements), never from
   * inside `emit`; the events emitted before it are not part of it.
   *
   * Example: `store(JSON.stringify(job.snapshot()))`, later
   * `CorrelationJob.restore(compiled, JSON.parse(stored), { emit })`.
   */
  snapshot(): JobSnapshot {
    if (this.emitting > 0) {
      throw new SnapshotInCallbackError(
        'CorrelationJob.snapshot() was called from inside emit, where the job is between two state changes; take the snapshot after ingest/accept/advance* returned.',
      );
    }
    const records = new ObjectTable<SessionRecord>();
    const recordId = (r: SessionRecord) => records.idOf(r);
    const windows = this.baseline.snapshot(windowCodec(records));
    const sessions = [...this.sessions.values()];
    const sessionIds = new Map(sessions.map((s, i) => [s, i]));
    const { template } = this.compiled;
    return {
      format: JOB_SNAPSHOT_FORMAT,
      templateId: template.id,
      templateVersion: template.version,
      watermark: windows.watermark,
      processingTime: windows.processingTime,
      windows: {
        slots: windows.slots,
        eventTimers: windows.eventTimers,
        processingTimers: windows.processingTimers,
      },
      sessions: sessions.map((s) => snapshotLiveSession(s, records)),
      pendingSupplements: this.pending.snapshot(recordId),
      sessionRemovals: this.removals.snapshot((s) => sessionIds.get(s)),
      records: records.items,
    };
  }

  /**
   * A job that continues exactly as the one that took `snapshot` would:
   * same events for the same further calls. Throws `SnapshotFormatError` for
   * a malformed or unknown-format snapshot and `SnapshotMismatchError` when
   * it was taken with another template id or version.
   *
   * Example: `const job = CorrelationJob.restore(compiled, JSON.parse(text), { emit });`
   */
  static restore(
    compiled: CompiledTemplate,
    snapshot: JobSnapshot,
    options: CorrelationJobOptions,
  ): CorrelationJob {
    const checked = checkJobSnapshot(compiled, snapshot);
    const job = new CorrelationJob(compiled, options);
    const records = ObjectTable.of(checked.records);
    const recordOf = (id: number) => records.at(id, 'record');
    const { windows } = checked;
    job.baseline = WindowOperator.restore(
      job.baselineOptions,
      {
        watermark: checked.watermark,
        processingTime: checked.processingTime,
        ...windows,
      },
      windowCodec(records),
    );
    const sessions = checked.sessions.map((s) => restoreLiveSession(job.ctx, s, records.items));
    for (const session of sessions) {
      job.sessions.set(session.id, session);
      for (const [supplementId, key] of session.exposed) job.indexKey(supplementId, key, session);
    }
    job.pending.load(checked.pendingSupplements, recordOf);
    job.removals.load(checked.sessionRemovals, (id) => refAt(sessions, id, 'session'));
    return job;
  }

  get currentWatermark(): number {
    return this.baseline.currentWatermark;
  }

  /** Number of sessions still held (open windows or waiting for supplements). */
  get liveSessionCount(): number {
    return this.sessions.size;
  }

  get pendingSupplementCount(): number {
    return this.pending.size;
  }

  /** Parses, extracts and routes one raw line, then accepts it; unusable lines become dead letters. */
  ingest(input: RawInput): void {
    const prepared = prepareRecord(this.compiled, input, this.baseline.currentProcessingTime);
    if (!prepared.ok) this.options.emit({ type: 'deadLetter', deadLetter: prepared.deadLetter });
    else this.accept(prepared.routed);
  }

  /** Accepts a record already in the unified view (batch mode sorts them first). */
  accept(routed: RoutedRecord): void {
    const { record } = routed;
    if (routed.baseline !== null && this.touchesExpiredState(record.eventTime)) {
      const { node, businessKey } = routed.baseline;
      this.emitLate(
        node,
        'baseline',
        { [this.compiled.template.baseline.key]: businessKey },
        record,
      );
    } else if (routed.baseline !== null) {
      this.baseline.processElement(
        routed.baseline.businessKey,
        { node: routed.baseline.node, record },
        record.eventTime,
      );
    }
    for (const s of routed.supplements) {
      if (record.eventTime < this.currentWatermark) {
        this.emitLate(s.node, 'supplement', s.keys, record);
      } else if (!this.attachToLiveSession(s.node, s.joinKey, record)) {
        this.pending.add(
          { node: s.node, joinKey: s.joinKey, keys: s.keys, record },
          this.ctx.bounds.get(s.node)!,
        );
      }
    }
  }

  /**
   * Stricter than Flink's window lateness, on purpose: a record at `ts` with
   * `ts - 1 + allowedLateness <= watermark` could touch a session whose window
   * state is already cleaned up (cleanup at `end - 1 + allowedLateness`), where
   * Flink would silently open a second session. It goes to the late queue, so
   * that reprocessing merges it into the stored session instead.
   */
  private touchesExpiredState(ts: number): boolean {
    return ts - 1 + this.compiled.template.baseline.allowedLateness <= this.currentWatermark;
  }

  advanceProcessingTime(now: number): void {
    this.baseline.advanceProcessingTime(now);
  }

  /** Fires baseline clusters, then orphans supplements and forgets sessions the watermark has passed. */
  advanceWatermark(watermark: number): void {
    this.baseline.advanceWatermark(watermark);
    this.pending.expire(watermark, (p) =>
      this.options.emit({
        type: 'orphan',
        orphan: {
          templateId: this.compiled.template.id,
          node: p.node,
          record: p.record,
          keys: p.keys,
        },
      }),
    );
    this.removals.popUntil(watermark, (session) => {
      // Only the session object still held under its id: a forgotten one's timer is stale.
      if (!session.windowOpen && this.sessions.get(session.id) === session) this.forget(session);
    });
  }

  private onBaselineFired(firing: WindowFiring<BaselineElement[]>): void {
    const id = this.sessionIdOf(firing.key, firing.session);
    let session = this.sessions.get(id);
    if (session === undefined) {
      session = newLiveSession(id, firing.key);
      this.sessions.set(id, session);
    }
    // The aggregate only appends to its list (a merge makes a new one): the
    // same list holds the elements seen last time, then the new ones.
    const contents = firing.contents;
    if (contents !== session.firedContents) rebuildBaseline(this.ctx, session, contents);
    else if (contents.length !== session.firedLength) appendBaseline(this.ctx, session, contents);
    session.fireReason = fireReasonOf(firing);
    if (firing.cause === 'eventTime') session.status = 'closed';
    this.exposeKeys(session);
    this.emitSession(session);
  }

  /** Re-indexes the session's join keys and attaches pending supplements that now match. */
  private exposeKeys(session: LiveSession): void {
    const fields = session.fields;
    for (const supplement of this.compiled.template.supplements) {
      const key = sessionJoinKey(supplement, fields);
      const previous = session.exposed.get(supplement.id);
      if (previous === key) continue;
      if (previous !== undefined) this.keyIndex.get(supplement.id)?.get(previous)?.delete(session);
      if (key === null) {
        session.exposed.delete(supplement.id);
        continue;
      }
      session.exposed.set(supplement.id, key);
      this.indexKey(supplement.id, key, session);
    }
    for (const [supplementId, key] of session.exposed) {
      const supplement = this.supplementsById.get(supplementId)!;
      this.pending.take(supplementId, key, (p: PendingSupplement) => {
        if (!withinAnchorBounds(this.ctx, supplement, session.baseline, p.record.eventTime))
          return false;
        if (addRecord(session.supplements, supplementId, p.record)) session.evaluated = null;
        return true;
      });
    }
  }

  private indexKey(supplementId: string, key: string, session: LiveSession): void {
    const byKey = this.keyIndex.get(supplementId) ?? new Map<string, Set<LiveSession>>();
    this.keyIndex.set(supplementId, byKey);
    const sessions = byKey.get(key) ?? new Set<LiveSession>();
    byKey.set(key, sessions);
    sessions.add(session);
  }

  private attachToLiveSession(
    node: string,
    joinKey: string,
    record: Session['nodes'][number]['records'][number],
  ): boolean {
    const candidates = this.keyIndex.get(node)?.get(joinKey);
    if (candidates === undefined) return false;
    const supplement = this.supplementsById.get(node)!;
    const session = this.firstInBounds(candidates, supplement, record.eventTime);
    if (session === undefined) return false;
    if (addRecord(session.supplements, node, record)) {
      session.evaluated = null;
      this.emitSession(session);
    }
    return true;
  }

  /** The session with the smallest id among `candidates` whose anchors are within bounds of `ts`. */
  private firstInBounds(
    candidates: ReadonlySet<LiveSession>,
    supplement: Supplement,
    ts: number,
  ): LiveSession | undefined {
    let first: LiveSession | undefined;
    for (const s of candidates) {
      if (first !== undefined && s.id > first.id) continue;
      if (withinAnchorBounds(this.ctx, supplement, s.baseline, ts)) first = s;
    }
    return first;
  }

  private onRetracted(retraction: WindowRetraction): void {
    const absorbed = this.sessions.get(this.sessionIdOf(retraction.key, retraction.session));
    const into = this.sessions.get(this.sessionIdOf(retraction.key, retraction.into));
    if (absorbed === undefined || into === undefined) return;
    for (const [node, records] of absorbed.supplements)
      for (const r of records) if (addRecord(into.supplements, node, r)) into.evaluated = null;
    this.forget(absorbed);
    this.options.emit({
      type: 'retraction',
      retraction: {
        sessionId: absorbed.id,
        templateId: this.compiled.template.id,
        mergedInto: into.id,
        version: absorbed.version + 1,
      },
    });
  }

  private onWindowExpired(key: string, identity: TimeWindow | undefined): void {
    if (identity === undefined) return;
    const session = this.sessions.get(this.sessionIdOf(key, identity));
    if (session === undefined) return;
    session.windowOpen = false;
    let until = Number.NEGATIVE_INFINITY;
    for (const supplement of this.compiled.template.supplements) {
      const upper = this.ctx.bounds.get(supplement.id)!.upperMs;
      for (const anchor of session.baseline.get(supplement.anchor) ?? [])
        until = Math.max(until, anchor.eventTime + upper + 1);
    }
    if (until <= this.currentWatermark) this.forget(session);
    else this.removals.push(until, session);
  }

  private forget(session: LiveSession): void {
    this.sessions.delete(session.id);
    for (const [supplementId, key] of session.exposed)
      this.keyIndex.get(supplementId)?.get(key)?.delete(session);
  }

  private emitSession(session: LiveSession): void {
    session.version += 1;
    const enrichment =
      this.ctx.enrich === undefined ? undefined : enrichmentOf(this.ctx, session.fields);
    let evaluation: ContentEvaluation;
    const previous = session.evaluated;
    if (previous !== null && sameEnrichment(previous.enrichment, enrichment)) {
      evaluation = copyEvaluation(previous.evaluation);
    } else {
      const content: SessionContent = new Map(session.baseline);
      for (const [node, records] of session.supplements) content.set(node, records);
      evaluation = evaluateContent(this.ctx, content, enrichment);
      session.evaluated = { evaluation: copyEvaluation(evaluation), enrichment };
    }
    this.options.emit({
      type: 'session',
      session: sessionOf(this.ctx, evaluation, {
        sessionId: session.id,
        businessKey: session.businessKey,
        version: session.version,
        status: session.status,
        fireReason: session.fireReason,
      }),
    });
  }

  private emitLate(
    node: string,
    kind: 'baseline' | 'supplement',
    keys: Record<string, string | number | boolean | null>,
    record: Session['nodes'][number]['records'][number],
  ): void {
    const { template } = this.compiled;
    this.options.emit({
      type: 'late',
      late: {
        templateId: template.id,
        templateVersion: template.version,
        node,
        kind,
        keys,
        record: { ...record, late: true },
      },
    });
  }

  private sessionIdOf(key: string, identity: TimeWindow): string {
    return sessionIdFor(this.compiled.template.id, key, identity.start);
  }
}

/** The stable id of a session: template, business key and the start of its first firing. */
export function sessionIdFor(
  templateId: string,
  businessKey: string,
  firstFiredStart: number,
): string {
  return `${templateId}/${businessKey}/${firstFiredStart}`;
}

function sameEnrichment(a: Enrichment, b: Enrichment): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.is(a[key], b[key]) || !(key in b)) return false;
  return true;
}

function fireReasonOf(firing: WindowFiring<unknown>): FireReason {
  if (firing.cause === 'processingTime') return 'timeout';
  if (firing.cause === 'eventTime') return 'final';
  return firing.window.maxTimestamp <= firing.watermark ? 'late' : 'complete';
}
