import type { CompiledTemplate, SessionRecord } from '@weft/templates';
import { ObjectTable, refAt } from '../snapshot/snapshot-encoding.js';
import type { TimerHeap } from '../time/timer-heap.js';
import { WindowOperator } from '../windowing/window-operator.js';
import type { WindowOperatorOptions } from '../windowing/window-operator.js';
import type { BaselineElement } from './baseline-completeness.js';
import { JOB_SNAPSHOT_FORMAT } from './job-snapshot.js';
import type { JobSnapshot } from './job-snapshot.js';
import { restoreLiveSession, snapshotLiveSession } from './live-session.js';
import type { LiveSession } from './live-session.js';
import type { AssemblyContext } from './session-assembly.js';
import type { JobProfiles } from './session-profiles.js';
import type { SupplementBuffer } from './supplement-buffer.js';
import { SnapshotMismatchError } from '../errors.js';
import { windowCodec } from './window-codec.js';

type BaselineOperator = WindowOperator<BaselineElement, BaselineElement[]>;

/** The parts of a correlation job a checkpoint covers. */
export interface JobState {
  readonly baseline: BaselineOperator;
  readonly sessions: ReadonlyMap<string, LiveSession>;
  readonly pending: SupplementBuffer;
  readonly removals: TimerHeap<LiveSession>;
  /** Sessions with a held update (`coalesce`), in emission order. */
  readonly held: readonly LiveSession[];
  /** The entity profiles (null when the template has no `entities`). */
  readonly profiles: JobProfiles | null;
}

/** The job's state as a {@link JobSnapshot}; records are written once and referenced by index. */
export function snapshotJob(compiled: CompiledTemplate, state: JobState): JobSnapshot {
  const records = new ObjectTable<SessionRecord>();
  const recordId = (r: SessionRecord) => records.idOf(r);
  const windows = state.baseline.snapshot(windowCodec(records));
  const sessions = [...state.sessions.values()];
  const sessionIds = new Map(sessions.map((s, i) => [s, i]));
  const { template } = compiled;
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
    pendingSupplements: state.pending.snapshot(recordId),
    sessionRemovals: state.removals.snapshot((s) => sessionIds.get(s)),
    pendingEmissions: state.held.filter((s) => s.pendingEmit).map((s) => sessionIds.get(s)!),
    ...(state.profiles === null ? {} : { profiles: state.profiles.snapshot() }),
    records: records.items,
  };
}

/**
 * The state of a checked snapshot: a restored baseline operator and sessions
 * (in snapshot order, held ones flagged), with `pending` and `removals` loaded in place.
 */
export function restoreJob(
  ctx: AssemblyContext,
  baselineOptions: WindowOperatorOptions<BaselineElement, BaselineElement[]>,
  snapshot: JobSnapshot,
  into: Pick<JobState, 'pending' | 'removals' | 'profiles'>,
): { baseline: BaselineOperator; sessions: LiveSession[]; held: LiveSession[] } {
  const records = ObjectTable.of(snapshot.records);
  const baseline = WindowOperator.restore(
    baselineOptions,
    {
      watermark: snapshot.watermark,
      processingTime: snapshot.processingTime,
      ...snapshot.windows,
    },
    windowCodec(records),
  );
  const sessions = snapshot.sessions.map((s) => restoreLiveSession(ctx, s, records.items));
  const sessionAt = (id: number) => refAt(sessions, id, 'session');
  into.pending.load(snapshot.pendingSupplements, (id) => records.at(id, 'record'));
  into.removals.load(snapshot.sessionRemovals, sessionAt);
  if (into.profiles !== null) {
    if (snapshot.profiles === undefined)
      throw new SnapshotMismatchError(
        'the snapshot holds no entity profiles but the template declares entities: restore with the template version it was taken with',
      );
    into.profiles.restore(snapshot.profiles);
  }
  const held = (snapshot.pendingEmissions ?? []).map(sessionAt);
  for (const session of held) session.pendingEmit = true;
  return { baseline, sessions, held };
}
