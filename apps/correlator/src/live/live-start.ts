import { CombinedWatermark, CorrelationJob, EngineError } from '@weft/engine';
import type { Enricher, JobSnapshot, WatermarkSnapshot } from '@weft/engine';
import { compileTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { UsageError } from '../errors.js';
import type { OffsetCommit } from '../kafka/index.js';
import { partitionKey } from '../sources/index.js';
import { CHECKPOINT_FORMAT } from './checkpoint-store.js';
import type { CheckpointStore } from './checkpoint-store.js';
import { PendingLate } from '../late/index.js';
import { LiveJob } from './live-job.js';
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
}

/**
 * Where a live run starts: the newest valid checkpoint's job and watermark
 * state with its offsets (every assigned partition is sought there), or a new
 * job at the group's committed offsets, with the late records that were
 * waiting for their horizon. Takes a new epoch first (claimed from the
 * store, at least the directory's next), and returns the `save`
 * that writes the next checkpoints (and, with a `mirror`, then saves the
 * entity profiles changed since the previous one to storage).
 *
 * @example const start = await prepareLiveStart({ template, partitions, groupId, checkpoints, claimEpoch: (atLeast) => store.epochs.claim(template.id, atLeast), now: Date.now, onInvalid });
 */
export async function prepareLiveStart(
  options: LiveStartOptions,
): Promise<LiveStart & { restored: Awaited<ReturnType<CheckpointStore['newest']>> }> {
  const { template, checkpoints } = options;
  const compiled = compileTemplate(template);
  const watermarkOptions = watermarkOptionsOf(template, options.partitions);
  const restored = await checkpoints.newest(options.onInvalid);
  if (restored !== null && restored.templateId !== template.id) {
    throw new UsageError(
      `the checkpoint directory ${checkpoints.dir} holds template ${restored.templateId}, not ${template.id}: give each template its own --checkpoint-dir.`,
    );
  }
  // The store's counter outranks every earlier run, of this directory or another.
  const epoch = await checkpoints.nextEpoch(restored, options.claimEpoch);
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
          : CorrelationJob.restore(compiled, restored.job as JobSnapshot, jobOptions),
      options.enrich === undefined ? {} : { enrich: options.enrich },
    );
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    throw new UsageError(
      `cannot restore checkpoint ${restored?.sequence} from ${checkpoints.dir}: ${error.message} ` +
        'A changed template or a changed partition count needs a new --checkpoint-dir (and a new --group, or a replay).',
    );
  }
  const late = new PendingLate(template);
  for (const record of restored?.late ?? []) late.add(record);
  let sequence = (restored?.sequence ?? 0) + 1;
  let taken = 0;
  const mirror = options.mirror;
  return {
    restored,
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
      });
      sequence += 1;
      taken += 1;
      await mirror?.save(epoch, taken);
    },
  };
}
