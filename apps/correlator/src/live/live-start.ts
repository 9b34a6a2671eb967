import { CombinedWatermark, CorrelationJob, EngineError } from '@weft/engine';
import type { Enricher, JobSnapshot, WatermarkSnapshot } from '@weft/engine';
import { compileTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { OffsetCommit } from '../kafka/index.js';
import { partitionKey } from '../kafka/index.js';
import { CHECKPOINT_FORMAT } from './checkpoint-store.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { stateCompatible } from './template-change.js';
import { PendingLate } from '../late/index.js';
import { LiveJob, takenOver } from './live-job.js';
import type { LiveStart } from './live-run.js';
import type { ProfileMirror } from './profile-mirror.js';
import { LiveWatermark, watermarkOptionsOf } from './live-watermark.js';
import type { TopicPartition } from './live-watermark.js';

export interface LiveStartOptions {
  template: Template;
  partitions: readonly TopicPartition[];
  groupId: string;
  checkpoints: CheckpointStore;
  /**
   * Claims the run's epoch from the store (`store.epochs.claim` of the
   * template), at least `atLeast`: the checkpoint directory's next epoch.
   */
  claimEpoch: (atLeast: number) => Promise<number>;
  now: () => number;
  /** Reports a checkpoint file that was skipped as unreadable. */
  onInvalid: (file: string, why: string) => void;
  /** Mirrors the entity profiles to storage after each checkpoint; absent: no mirror. */
  mirror?: ProfileMirror;
  /** The enricher of the template's lookups (an `EnrichmentCache`'s); absent: no enrichment. */
  enrich?: Enricher;
  /** `--replay-from`, epoch ms: the replay cut-off of this run; null or absent: the rebuild's or the checkpoint's, if any. */
  replayFrom?: number | null;
  /**
   * A stored version of the template (`store.templates`), or null when there
   * is none: how a checkpoint of another version is judged. Absent: the
   * checkpoint is restored whatever its version (file templates).
   */
  storedVersion?: (version: number) => Promise<Template | null>;
}

/** A rebuild of the pipeline for a template version its checkpoint's state cannot serve. */
export interface Rebuild {
  /** The version the checkpoint was taken with. */
  previous: number;
  /**
   * The hand-over time (`handOverTime`), epoch ms: the run reads the topics
   * from its warm-up before it and writes what ends from it on. Null: the
   * previous run had no watermark yet, so the rebuild reads everything.
   */
  from: number | null;
}

/**
 * Where a live run starts: the newest valid checkpoint's job and watermark
 * state with its offsets (every assigned partition is sought there), or a new
 * job at the group's committed offsets, with the late records that were
 * waiting for their horizon. A checkpoint of another stored version of the
 * template is taken over when its state fits (`stateCompatible`), or else
 * the result says to rebuild (`rebuild`: a new job, and the caller seeks the
 * partitions to the warm-up before its hand-over time). Takes a new epoch first (claimed from the
 * store, at least the directory's next), and returns the `save`
 * that writes the next checkpoints (and, with a `mirror`, then saves the
 * entity profiles changed since the previous one to storage).
 *
 * @example const start = await prepareLiveStart({ template, partitions, groupId, checkpoints, claimEpoch: (atLeast) => store.epochs.claim(template.id, atLeast), now: Date.now, onInvalid });
 */
export async function prepareLiveStart(options: LiveStartOptions): Promise<
  LiveStart & {
    restored: Awaited<ReturnType<CheckpointStore['newest']>>;
    rebuild: Rebuild | null;
  }
> {
  const { template, checkpoints } = options;
  const compiled = compileTemplate(template);
  const watermarkOptions = watermarkOptionsOf(template, options.partitions);
  const newest = await checkpoints.newest(options.onInvalid);
  if (newest !== null && newest.templateId !== template.id) {
    throw new UsageError(
      `the checkpoint directory ${checkpoints.dir} holds template ${newest.templateId}, not ${template.id}: give each template its own --checkpoint-dir.`,
    );
  }
  const previous = await previousVersion(newest, template, checkpoints.dir, options.storedVersion);
  const rebuild =
    previous === null || stateCompatible(previous, template)
      ? null
      : rebuildOf(newest?.job, previous, template);
  // A rebuild starts a new job; the directory's sequence and epochs go on.
  const restored = rebuild === null ? newest : null;
  // The store's counter outranks every earlier run, of this directory or another.
  const epoch = await checkpoints.nextEpoch(newest, options.claimEpoch);
  const replayFrom = options.replayFrom ?? rebuild?.from ?? restored?.replayFrom ?? null;
  let job: LiveJob;
  try {
    const combined =
      restored === null
        ? new CombinedWatermark(watermarkOptions)
        : CombinedWatermark.restore(restored.watermark as WatermarkSnapshot, watermarkOptions);
    const watermark = new LiveWatermark(combined, restored?.clock ?? 0);
    job = new LiveJob(
      compiled,
      watermark,
      epoch,
      (jobOptions) =>
        restored === null
          ? new CorrelationJob(compiled, jobOptions)
          : CorrelationJob.restore(
              compiled,
              takenOver(restored.job as JobSnapshot, template.version),
              jobOptions,
            ),
      options.enrich === undefined ? {} : { enrich: options.enrich },
    );
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    throw new UsageError(
      `cannot restore checkpoint ${restored?.sequence} from ${checkpoints.dir}: ${error.message} ` +
        'A changed template or a changed partition count needs a new --checkpoint-dir (and a new --group, or a replay).',
    );
  }
  // Late records waiting for their horizon are applied to the stored sessions by either version.
  const late = new PendingLate(template);
  for (const record of newest?.late ?? []) late.add(record);
  let sequence = (newest?.sequence ?? 0) + 1;
  let taken = 0;
  const mirror = options.mirror;
  return {
    restored,
    rebuild,
    replayFrom,
    job,
    late,
    startOffsets: new Map(
      (restored?.offsets ?? []).map((o) => [partitionKey(o.topic, o.partition), o.nextOffset]),
    ),
    async save(live: LiveJob, offsets: readonly OffsetCommit[]): Promise<void> {
      const now = options.now();
      const snapshot = live.job.snapshot();
      // Taken with the snapshot, while the job is stopped; saved once the checkpoint is durable.
      mirror?.collect({
        profiles: live.job.takeProfileChanges(),
        graph: snapshot.profiles?.graph ?? null,
      });
      await checkpoints.write({
        format: CHECKPOINT_FORMAT,
        sequence,
        createdAt: new Date(now).toISOString(),
        templateId: template.id,
        templateVersion: live.compiled.template.version,
        groupId: options.groupId,
        epoch,
        clock: live.watermark.clock,
        offsets: offsets.map((o) => ({ ...o })),
        watermark: live.watermark.combined.snapshot(),
        job: snapshot,
        late: late.list(),
        replayFrom,
      });
      sequence += 1;
      taken += 1;
      await mirror?.save(epoch, taken);
    },
  };
}

/**
 * The stored version the newest checkpoint was taken with, when it is not
 * the template's (null when it is, or when versions are not judged:
 * `storedVersion` absent). The template then takes its state over if it can
 * (`stateCompatible`, as a live switch does), or the pipeline is rebuilt.
 */
async function previousVersion(
  checkpoint: Awaited<ReturnType<CheckpointStore['newest']>>,
  template: Template,
  dir: string,
  storedVersion: LiveStartOptions['storedVersion'],
): Promise<Template | null> {
  if (checkpoint === null || storedVersion === undefined) return null;
  if (checkpoint.templateVersion === template.version) return null;
  const previous = await storedVersion(checkpoint.templateVersion);
  if (previous === null) {
    throw new UsageError(
      `the checkpoint in ${dir} was taken with version ${checkpoint.templateVersion} of ${template.id}, ` +
        'which the store no longer holds, so whether version ' +
        `${template.version} can take over its state is unknown: start with a new --checkpoint-dir and --replay-from.`,
    );
  }
  return previous;
}

/** The rebuild after a checkpoint whose job (`job`, the engine's snapshot) ran `previous`. */
function rebuildOf(job: unknown, previous: Template, template: Template): Rebuild {
  // The engine's encoding of times (`EncodedTime`); the engine validates the rest when restoring.
  const parsed = JobWatermarkSchema.safeParse(job);
  const watermark = parsed.success ? parsed.data.watermark : '-Infinity';
  return {
    previous: previous.version,
    from: typeof watermark === 'number' ? handOverTime(watermark, previous, template) : null,
  };
}

const JobWatermarkSchema = z.object({
  watermark: z.union([z.number(), z.literal('+Infinity'), z.literal('-Infinity')]),
});

/**
 * Where a rebuilt pipeline takes over from the previous version's run,
 * whose job had reached `watermark`: every session that ended before it had
 * its last update from the previous run, and the rebuild's own last writes
 * of a session before it happen before its replay reaches that watermark
 * again, i.e. before it reads anything the previous run had not read. So
 * the hand-over lies the larger of the two versions' `settleAfterEnd`
 * before the watermark.
 *
 * @example handOverTime(Date.parse('2026-11-24T12:00:00Z'), v1, v2) // 09:35 for gap 20m, maxSpan 2h, lateness 5m
 */
export function handOverTime(watermark: number, previous: Template, next: Template): number {
  return watermark - Math.max(settleAfterEnd(previous), settleAfterEnd(next));
}

/**
 * How far the watermark may pass a session's end (its last record) while
 * the job can still update it: its window's cleanup (gap + allowed
 * lateness), entity-profile settling (gap + maxSpan + allowed lateness
 * after its last observation), and its supplement joins (an anchor's widest
 * `upper`, inclusive).
 */
function settleAfterEnd(template: Template): number {
  const { gap, maxSpan, allowedLateness } = template.baseline;
  const widestUpper = Math.max(0, ...template.supplements.map((s) => s.upper));
  return Math.max(gap + maxSpan + allowedLateness, widestUpper + 1);
}
