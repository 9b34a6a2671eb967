import { z } from 'zod';
import {
  FieldValueSchema,
  FireReasonSchema,
  SessionRecordSchema,
  SessionStatusSchema,
} from '@weft/templates';
import type { CompiledTemplate, SessionRecord } from '@weft/templates';
import { SnapshotFormatError, SnapshotMismatchError } from '../errors.js';
import type { EncodedTime } from '../snapshot/snapshot-encoding.js';
import type { HeapSnapshot } from '../time/timer-heap.js';
import type { WindowSlotSnapshot } from '../windowing/window-operator-snapshot.js';
import type { LiveSessionSnapshot } from './live-session.js';
import { JobProfilesSnapshotSchema, SessionProfileSnapshotSchema } from './session-profiles.js';
import type { JobProfilesSnapshot } from './session-profiles.js';
import type { SupplementBufferSnapshot } from './supplement-buffer.js';

export const JOB_SNAPSHOT_FORMAT = 'weft.job-snapshot/1';

/** A baseline element in a snapshot: its node and its record's index in `records`. */
export type ElementSnapshot = readonly [node: string, record: number];
/** Trigger state in a snapshot: counts, bitmasks and flags as they are, element lists encoded. */
export type TriggerStateSnapshot = number | boolean | readonly ElementSnapshot[];

/**
 * Everything a {@link CorrelationJob} holds, as plain JSON data: the clock,
 * every open baseline window with its elements, trigger state and timers,
 * the sessions still held with their versions and exposed keys, the waiting
 * supplements and every timer queue in its firing order. Records appear once
 * in `records`; the rest refers to them by index.
 */
export interface JobSnapshot {
  readonly format: typeof JOB_SNAPSHOT_FORMAT;
  readonly templateId: string;
  readonly templateVersion: number;
  readonly watermark: EncodedTime;
  readonly processingTime: number;
  readonly records: readonly SessionRecord[];
  readonly windows: {
    readonly slots: readonly WindowSlotSnapshot<readonly ElementSnapshot[], TriggerStateSnapshot>[];
    readonly eventTimers: HeapSnapshot;
    readonly processingTimers: HeapSnapshot;
  };
  readonly sessions: readonly LiveSessionSnapshot[];
  readonly pendingSupplements: SupplementBufferSnapshot;
  readonly sessionRemovals: HeapSnapshot;
  /** Sessions (indexes into `sessions`) with an update held back by `coalesce`, in emission order. */
  readonly pendingEmissions?: readonly number[];
  /** Templates with `entities`: the profile store, identity graph and queued profile steps. */
  readonly profiles?: JobProfilesSnapshot;
}

const id = z.number().int().nonnegative();
const time = z.number().int();
const encodedTime = z.union([time, z.literal('+Infinity'), z.literal('-Infinity')]);
const heap = z.object({
  nextSeq: id,
  timers: z.array(z.tuple([time, id, id])),
});
const window = z.tuple([time, time]);
const element = z.tuple([z.string(), id]);
const content = z.array(z.tuple([z.string(), z.array(id)]));

const JobSnapshotSchema = z.object({
  format: z.literal(JOB_SNAPSHOT_FORMAT),
  templateId: z.string(),
  templateVersion: z.number().int(),
  watermark: encodedTime,
  processingTime: time,
  records: z.array(SessionRecordSchema),
  windows: z.object({
    slots: z.array(
      z.object({
        key: z.string(),
        window,
        contents: z.array(element).nullable(),
        state: z.array(z.tuple([z.string(), z.union([z.number(), z.boolean(), z.array(element)])])),
        eventTimers: z.array(time),
        processingTimers: z.array(time),
        firedAs: window.nullable(),
      }),
    ),
    eventTimers: heap,
    processingTimers: heap,
  }),
  sessions: z.array(
    z.object({
      id: z.string(),
      emittedAs: z.string().nullable().optional(),
      businessKey: z.string(),
      version: id,
      status: SessionStatusSchema,
      fireReason: FireReasonSchema,
      baseline: content,
      supplements: content,
      exposed: z.array(z.tuple([z.string(), z.string()])),
      windowOpen: z.boolean(),
      profile: SessionProfileSnapshotSchema.nullable().optional(),
    }),
  ),
  pendingSupplements: z.object({
    entries: z.array(
      z.object({
        node: z.string(),
        joinKey: z.string(),
        keys: z.record(z.string(), FieldValueSchema),
        record: id,
      }),
    ),
    expiry: heap,
  }),
  sessionRemovals: heap,
  pendingEmissions: z.array(id).optional(),
  profiles: JobProfilesSnapshotSchema.optional(),
});

/**
 * Checks that `value` is a job snapshot of `compiled`'s template and version;
 * returns it typed. Throws {@link SnapshotFormatError} for anything else
 * than the current format and {@link SnapshotMismatchError} for another template.
 */
export function checkJobSnapshot(compiled: CompiledTemplate, value: unknown): JobSnapshot {
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== JOB_SNAPSHOT_FORMAT) {
    throw new SnapshotFormatError(
      `not a job snapshot: format is ${JSON.stringify(format) ?? 'missing'}, expected "${JOB_SNAPSHOT_FORMAT}"; pass the value of CorrelationJob.snapshot() (after JSON.parse if it was stored as text).`,
    );
  }
  const parsed = JobSnapshotSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SnapshotFormatError(
      `malformed job snapshot (${parsed.error.issues.length} problem(s)): ${problems.join('; ')}; restore an intact copy or start without it.`,
    );
  }
  const { id: templateId, version } = compiled.template;
  // The parsed copy: defaults applied (a record without `late` gets false), unknown keys dropped.
  const snapshot = parsed.data as JobSnapshot;
  if (snapshot.templateId !== templateId || snapshot.templateVersion !== version) {
    throw new SnapshotMismatchError(
      `the snapshot was taken with template "${snapshot.templateId}" version ${snapshot.templateVersion}, but this job runs "${templateId}" version ${version}; restore it with that template version, or start a fresh job and replay the input.`,
    );
  }
  return snapshot;
}
