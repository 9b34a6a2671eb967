import type {
  CompiledTemplate,
  FieldValue,
  FireReason,
  LateRecord,
  SessionRecord,
  Supplement,
} from '@weft/templates';
import { SnapshotInCallbackError } from '../errors.js';
import { TimerHeap } from '../time/timer-heap.js';
import type { TimeWindow } from '../time/time-window.js';
import { WindowOperator } from '../windowing/window-operator.js';
import type {
  WindowFiring,
  WindowOperatorOptions,
  WindowRetraction,
} from '../windowing/window-operator.js';
import { baselineClusterOptions } from './baseline-cluster.js';
import type { BaselineElement } from './baseline-completeness.js';
import { lateEvent } from './job-events.js';
import type { JobEvent } from './job-events.js';
import { restoreJob, snapshotJob } from './job-checkpoint.js';
import { checkJobSnapshot } from './job-snapshot.js';
import type { JobSnapshot } from './job-snapshot.js';
import { appendBaseline, joinableUntil, newLiveSession, rebuildBaseline } from './live-session.js';
import type { LiveSession } from './live-session.js';
import {
  attachRecord,
  assemblyContext,
  enrichmentOf,
  sessionJoinKey,
  withinAnchorBounds,
} from './session-assembly.js';
import type { AssemblyContext, Enricher } from './session-assembly.js';
import { nextVersion } from './session-emission.js';
import { JobProfiles } from './session-profiles.js';
import type { ProfileEntry, ProfileSnapshot } from '../profiles/profile-snapshot.js';
import { SupplementBuffer } from './supplement-buffer.js';
import type { PendingSupplement } from './supplement-buffer.js';
import { prepareRecord } from './unified-view.js';
import type { RawInput, RoutedRecord } from './unified-view.js';

export interface CorrelationJobOptions {
  readonly emit: (event: JobEvent) => void;
  readonly enrich?: Enricher;
  /**
   * Emit a session's changes once per clock advance instead of at every
   * change: updates are held until the end of the next `advanceWatermark` /
   * `advanceProcessingTime` (or `flush()`), so a session gets fewer versions
   * with the same final content. Late records flush first (the late queue
   * must see every version it may apply to). Default false: every change is
   * emitted at once.
   */
  readonly coalesce?: boolean;
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
  /** Sessions held after their window closed (waiting for supplements or profile steps). */
  private closedHeld = 0;
  /** supplement id → exposed join key → sessions exposing it. */
  private readonly keyIndex = new Map<string, Map<string, Set<LiveSession>>>();
  private readonly pending: SupplementBuffer;
  private readonly removals = new TimerHeap<LiveSession>();
  private readonly supplementsById: Map<string, Supplement>;
  /** Sessions with an update held back (`coalesce`), in the order they first changed. */
  private readonly dirty: LiveSession[] = [];
  /** Entity profiles and identity graph, when the template declares `entities`. */
  private readonly profiles: JobProfiles | null;

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
    this.baselineOptions = baselineClusterOptions(compiled, {
      fired: (firing) => this.onBaselineFired(firing),
      late: (key, element) =>
        this.emitLate(element.node, 'baseline', { [baseline.key]: key }, element.record),
      retracted: (retraction) => this.onRetracted(retraction),
      expired: (key, _window, session) => this.onWindowExpired(key, session),
    });
    this.baseline = new WindowOperator(this.baselineOptions);
    this.profiles =
      compiled.template.entities === undefined ? null : new JobProfiles(compiled.template);
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
    return snapshotJob(this.compiled, {
      baseline: this.baseline,
      sessions: this.sessions,
      pending: this.pending,
      removals: this.removals,
      held: this.dirty,
      profiles: this.profiles,
    });
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
    const restored = restoreJob(job.ctx, job.baselineOptions, checked, {
      pending: job.pending,
      removals: job.removals,
      profiles: job.profiles,
    });
    job.baseline = restored.baseline;
    for (const session of restored.sessions) {
      job.sessions.set(session.id, session);
      if (!session.windowOpen) job.closedHeld += 1;
      for (const [supplementId, key] of session.exposed) job.indexKey(supplementId, key, session);
    }
    job.dirty.push(...restored.held);
    return job;
  }

  /**
   * For storage that saves entity profiles one row per entity: the profile
   * store's header and the entities observed or forgotten since the last
   * call (the first call returns all). A stored checkpoint may then drop
   * `profiles.store` and rebuild it before restoring, with
   * `profileSnapshotOf(header, savedEntries)`. Null without windowed
   * entity features. Take it between calls, like `snapshot()`.
   *
   * Example: `const changes = job.takeProfileChanges(); await store.entityStates.save(rowsOf(changes))`
   */
  takeProfileChanges(): { header: ProfileSnapshot; entries: ProfileEntry[] } | null {
    return this.profiles?.takeStoreChanges() ?? null;
  }

  get currentWatermark(): number {
    return this.baseline.currentWatermark;
  }

  /**
   * Sessions that have fired at least once and are still held (their window
   * open, or closed and waiting for supplements or profile steps). A window
   * that has not fired yet is not among them: see `heldSessionCount`.
   */
  get liveSessionCount(): number {
    return this.sessions.size;
  }

  /**
   * Every session in the job's state: the open windows, fired or not, and
   * the sessions held after their window closed. What a state-size gauge
   * should show: `liveSessionCount` jumps when a timeout wave fires windows
   * that were open all along.
   */
  get heldSessionCount(): number {
    return this.baseline.windowCount + this.closedHeld;
  }

  /** Join keys the held sessions expose (a state-size gauge: it shrinks as sessions are forgotten). */
  get exposedKeyCount(): number {
    let count = 0;
    for (const byKey of this.keyIndex.values()) count += byKey.size;
    return count;
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

  /**
   * The earliest processing time a session timeout is queued for (a lower
   * bound: it may belong to a window that no longer exists), or undefined.
   * `advanceProcessingTime` to it and on in steps bounds what each call emits.
   */
  get nextTimeoutAt(): number | undefined {
    return this.baseline.nextProcessingTimer;
  }

  /** The processing time the job has advanced to (0 before the first advance). */
  get currentProcessingTime(): number {
    return this.baseline.currentProcessingTime;
  }

  /** Fires processing-time timers (session timeouts) up to `now`, then flushes held updates. */
  advanceProcessingTime(now: number): void {
    this.baseline.advanceProcessingTime(now);
    this.flush();
  }

  /** Emits the session updates held back by `coalesce`; also done at the end of every advance. */
  flush(): void {
    if (this.dirty.length === 0) return;
    const dirty = this.dirty.splice(0);
    for (const session of dirty) this.emitHeld(session);
  }

  /**
   * Fires baseline clusters, orphans supplements, runs the entity-profile
   * steps the watermark settled, then forgets sessions the watermark has passed.
   */
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
    this.profiles?.advance(
      watermark,
      (id) => this.sessions.get(id),
      (session) => this.enrichmentOf(session),
      (session) => this.onProfileSettled(session),
    );
    this.removals.popUntil(watermark, (session) => {
      // Only the session object still held under its id: a forgotten one's timer is stale.
      if (!session.windowOpen && this.sessions.get(session.id) === session) this.forget(session);
    });
    this.flush();
  }

  private onBaselineFired(firing: WindowFiring<BaselineElement[]>): void {
    const id = this.sessionIdOf(firing.key, firing.session);
    if (firing.movedFrom !== undefined) this.moveSession(firing.key, firing.movedFrom, id);
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

  /**
   * The window grew to an earlier start since the session last fired: the
   * session takes the id of its new start. Its next emission retracts the id
   * the store holds (merged into the new one), so that a record arriving
   * before or after the first firing gives the same final id — as it must
   * for a replay after a crash, or when late reprocessing applies the record.
   */
  private moveSession(key: string, from: TimeWindow, id: string): void {
    const previous = this.sessionIdOf(key, from);
    const session = this.sessions.get(previous);
    if (session === undefined) return;
    this.sessions.delete(previous);
    session.id = id;
    this.sessions.set(id, session);
  }

  /** Re-indexes the session's join keys and attaches pending supplements that now match. */
  private exposeKeys(session: LiveSession): void {
    const fields = session.fields;
    for (const supplement of this.compiled.template.supplements) {
      const key = sessionJoinKey(supplement, fields);
      const previous = session.exposed.get(supplement.id);
      if (previous === key) continue;
      if (previous !== undefined) this.unindexKey(supplement.id, previous, session);
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
        if (attachRecord(this.ctx, session.supplements, supplementId, p.record) === 'added')
          session.evaluated = null;
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

  /** Removes a session from the key index, and the key once no session exposes it (else the index only grows). */
  private unindexKey(supplementId: string, key: string, session: LiveSession): void {
    const byKey = this.keyIndex.get(supplementId);
    const sessions = byKey?.get(key);
    if (sessions === undefined) return;
    sessions.delete(session);
    if (sessions.size === 0) byKey!.delete(key);
  }

  private attachToLiveSession(node: string, joinKey: string, record: SessionRecord): boolean {
    const candidates = this.keyIndex.get(node)?.get(joinKey);
    if (candidates === undefined) return false;
    const supplement = this.supplementsById.get(node)!;
    const session = this.firstInBounds(candidates, supplement, record.eventTime);
    if (session === undefined) return false;
    if (attachRecord(this.ctx, session.supplements, node, record) === 'added') {
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
      for (const r of records)
        if (attachRecord(this.ctx, into.supplements, node, r) === 'added') into.evaluated = null;
    // A held update of the absorbed session is dropped; one never emitted needs no retraction.
    absorbed.pendingEmit = false;
    this.forget(absorbed);
    if (absorbed.emittedAs === null) return;
    this.options.emit({
      type: 'retraction',
      retraction: {
        sessionId: absorbed.emittedAs,
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
    if (session.windowOpen) this.closedHeld += 1;
    session.windowOpen = false;
    let until = joinableUntil(this.ctx, session);
    if (this.profiles !== null) {
      // Held until settled (its last profile step ran), which happens in this
      // advance at the earliest: the removal pops after the steps.
      until = Math.max(until, this.profiles.schedule(session, this.enrichmentOf(session)));
      this.removals.push(until, session);
    } else if (until <= this.currentWatermark) this.forget(session);
    else this.removals.push(until, session);
  }

  /** Its settled entity features differ from the ones its last version carried: one more version. */
  private onProfileSettled(session: LiveSession): void {
    session.evaluated = null;
    this.emitSession(session);
  }

  private enrichmentOf(session: LiveSession): Record<string, FieldValue> | undefined {
    return this.ctx.enrich === undefined ? undefined : enrichmentOf(this.ctx, session.fields);
  }

  private forget(session: LiveSession): void {
    this.emitHeld(session);
    this.sessions.delete(session.id);
    if (!session.windowOpen) this.closedHeld -= 1;
    for (const [supplementId, key] of session.exposed) this.unindexKey(supplementId, key, session);
  }

  private emitSession(session: LiveSession): void {
    if (this.options.coalesce !== true) {
      this.emitVersion(session);
    } else if (!session.pendingEmit) {
      session.pendingEmit = true;
      this.dirty.push(session);
    }
  }

  private emitHeld(session: LiveSession): void {
    if (!session.pendingEmit) return;
    session.pendingEmit = false;
    this.emitVersion(session);
  }

  /** The session's next version; then, if its id moved since the last one, the retraction of the old id into the new. */
  private emitVersion(session: LiveSession): void {
    const previous = session.emittedAs;
    this.options.emit({ type: 'session', session: nextVersion(this.ctx, session, this.profiles) });
    session.emittedAs = session.id;
    if (previous === null || previous === session.id) return;
    this.options.emit({
      type: 'retraction',
      retraction: {
        sessionId: previous,
        templateId: this.compiled.template.id,
        mergedInto: session.id,
        version: session.version,
      },
    });
  }

  private emitLate(
    node: string,
    kind: LateRecord['kind'],
    keys: LateRecord['keys'],
    record: SessionRecord,
  ): void {
    this.flush();
    this.options.emit(lateEvent(this.compiled.template, { node, kind, keys, record }));
  }

  private sessionIdOf(key: string, identity: TimeWindow): string {
    return sessionIdFor(this.compiled.template.id, key, identity.start);
  }
}

/** A session's id: template, business key and the start of its session window (its earliest baseline record). */
export function sessionIdFor(templateId: string, businessKey: string, start: number): string {
  return `${templateId}/${businessKey}/${start}`;
}

/** The window start in an id of {@link sessionIdFor}'s form for this template and key; null for any other id. */
export function sessionStartOf(
  templateId: string,
  businessKey: string,
  sessionId: string,
): number | null {
  const prefix = `${templateId}/${businessKey}/`;
  if (!sessionId.startsWith(prefix)) return null;
  const rest = sessionId.slice(prefix.length);
  return /^-?\d+$/u.test(rest) && Number.isSafeInteger(Number(rest)) ? Number(rest) : null;
}

function fireReasonOf(firing: WindowFiring<unknown>): FireReason {
  if (firing.cause === 'processingTime') return 'timeout';
  if (firing.cause === 'eventTime') return 'final';
  return firing.window.maxTimestamp <= firing.watermark ? 'late' : 'complete';
}
