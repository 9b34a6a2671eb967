import type { Store } from '@weft/storage';
import type { Template } from '@weft/templates';
import type { CorrelateConfig, InputMode } from '../config.js';
import type { HealthChecks } from '../http/index.js';
import { createKafkajsClient, partitionKey } from '../kafka/index.js';
import type { KafkaAdmin, KafkaClient } from '../kafka/index.js';
import { waitUntilSoleMember } from '../live/sole-member.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { checkpointStore } from '../live/checkpoint-store.js';
import { runLive } from '../live/live-run.js';
import type { LiveRunResult } from '../live/live-run.js';
import { latestPublished, storedVersion } from '../live/template-change.js';
import { prepareLiveStart } from '../live/live-start.js';
import { createProfileMirror } from '../live/profile-mirror.js';
import type { TopicPartition } from '../live/live-watermark.js';
import { listPartitions, sourceTopics } from '../live/source-topics.js';
import { withLateTopic } from '../late/index.js';
import { createStoreSink, withSupersededRetractions } from '../pipeline/index.js';
import { offsetsAtTime } from '../sources/index.js';
import { emptySummary, finalize } from '../run/index.js';
import type { RunSummary, Tally } from '../run/index.js';
import { openEnrichment } from '../enrichment/index.js';
import { eventSourceIds } from './template-ref.js';

export interface LiveCorrelateParts {
  config: CorrelateConfig;
  input: Extract<InputMode, { kind: 'kafka' }>;
  template: Template;
  /** `--template ID` without a version: the run follows its published versions. */
  followTemplate: string | null;
  /**
   * `--template ID[@VERSION]`: the store holds the template's versions, so a
   * checkpoint of another version is restored or rebuilt from (`prepareLiveStart`).
   */
  stored: boolean;
  store: Store;
  metrics: CorrelatorMetrics;
  logger: Logger;
  health: HealthChecks;
  now: () => number;
  signal: AbortSignal;
  /** Overrides the kafkajs client (`weft demo`'s in-process log, tests). */
  kafka?: KafkaClient;
}

/**
 * `weft correlate --kafka`: resolves the template's source topics and their
 * partitions, creates the late side queue topic when it is missing, restores
 * the newest checkpoint (or builds a new job, or rebuilds the pipeline when
 * the checkpoint holds a version of the template whose state this one cannot
 * take over), and runs the pipeline until `signal` aborts. Following a
 * template (`--template ID`), a published version that changes the sources,
 * baseline or supplement joins ends the running pipeline and starts that
 * version's rebuild in the same process; the summary returned counts every
 * pipeline of the run.
 *
 * @example await runLiveCorrelate({ config, input: config.input, template, store, metrics, logger, health, now: Date.now, signal });
 */
export async function runLiveCorrelate(parts: LiveCorrelateParts): Promise<RunSummary> {
  const { logger } = parts;
  const kafka =
    parts.kafka ??
    createKafkajsClient({
      brokers: parts.input.brokers,
      clientId: 'weft-correlator',
      logger: logger.child({ component: 'kafkajs' }),
    });
  let template = parts.template;
  // --replay-from is the first pipeline's; a rebuild hands over at its own time.
  let replayFrom = parts.input.replayFrom;
  // One tally for every pipeline of the run: the summary covers them all.
  const tally = emptySummary(template.id, [], []);
  for (;;) {
    // The pipeline's health checks (kafka, sink, template, enrichment) leave with it.
    const health = parts.health.scope();
    let result: LiveRunResult;
    try {
      result = await runPipeline({ ...parts, health }, kafka, template, replayFrom, tally);
    } finally {
      health.close();
    }
    const { summary, rebuild } = result;
    if (rebuild === null || parts.signal.aborted) return summary;
    logger.info(
      { template: template.id, from: template.version, to: rebuild.version, summary },
      'pipeline stopped for the rebuild of a new template version',
    );
    template = rebuild;
    replayFrom = null;
  }
}

/** One pipeline of a template version, from its start (restore, new job or rebuild) to its end. */
async function runPipeline(
  parts: LiveCorrelateParts,
  kafka: KafkaClient,
  template: Template,
  replayFrom: number | null,
  tally: Tally,
): Promise<LiveRunResult> {
  const { input, logger } = parts;
  const topics = sourceTopics(eventSourceIds(template), input.topicPrefix);
  const admin = kafka.admin();
  await admin.connect();
  let partitions: TopicPartition[];
  let enrichment: Awaited<ReturnType<typeof openEnrichment>>;
  let start: Awaited<ReturnType<typeof prepareLiveStart>>;
  try {
    // Before the epoch is claimed: a standby must not supersede the running correlator.
    if (!(await waitAsStandby(parts, admin))) {
      return { summary: finalize(tally), rebuild: null };
    }
    // Live runs read dimension tables from the store only, and refresh them every cacheTtl.
    enrichment = await openEnrichment({
      template,
      store: parts.store,
      inputs: [],
      metrics: parts.metrics,
      logger,
      now: parts.now,
    });
    partitions = await listPartitions(admin, [...topics.keys()]);
    await admin.createTopics([
      { topic: input.lateTopic, numPartitions: lateTopicPartitions(partitions) },
    ]);
    start = await prepareLiveStart({
      template,
      partitions,
      groupId: input.groupId,
      checkpoints: checkpointStore(input.checkpointDir),
      claimEpoch: (atLeast) => parts.store.epochs.claim(template.id, atLeast),
      now: parts.now,
      onInvalid: (file, why) => logger.warn({ file, why }, 'skipping an unreadable checkpoint'),
      mirror: createProfileMirror({ store: parts.store, templateId: template.id, logger }),
      replayFrom,
      ...(parts.stored
        ? { storedVersion: (version: number) => storedVersion(parts.store, template.id, version) }
        : {}),
      ...(enrichment.active ? { enrich: enrichment.enrich } : {}),
    });
    logger.info(
      {
        template: template.id,
        version: template.version,
        partitions: partitions.length,
        epoch: start.job.epoch,
        checkpointDir: input.checkpointDir,
        restoredCheckpoint: start.restored?.sequence ?? null,
      },
      start.restored === null ? 'live job built' : 'live job restored from a checkpoint',
    );
    if (start.restored === null && (start.replayFrom !== null || start.rebuild !== null)) {
      // A new job that replays: every partition is sought to its warm-up start.
      const from =
        start.replayFrom === null ? 0 : Math.max(0, replayStart(template, start.replayFrom));
      start.startOffsets = await offsetsAt(admin, [...topics.keys()], from);
      logger.info(
        {
          replayFrom: start.replayFrom === null ? null : new Date(start.replayFrom).toISOString(),
          warmUpFrom: new Date(from).toISOString(),
          ...(start.rebuild === null ? {} : { rebuildOf: start.rebuild.previous }),
        },
        start.rebuild === null
          ? 'replaying the source topics from the warm-up start (--replay-from)'
          : `rebuilding the pipeline for version ${template.version} from the source topics`,
      );
    } else if (start.replayFrom !== null) {
      logger.info(
        { replayFrom: new Date(start.replayFrom).toISOString() },
        'a checkpoint was restored: the replay moves no offsets; sessions ending before it are still not written',
      );
    }
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  try {
    return await runLive({
      templateId: template.id,
      kafka,
      groupId: input.groupId,
      topics,
      lateTopic: input.lateTopic,
      lateStore: parts.store,
      partitions,
      fromBeginning: input.fromBeginning,
      sessionTimeoutMs: input.sessionTimeoutMs,
      maxWatermarkDriftMs: input.maxWatermarkDriftMs,
      newestEpoch: () => parts.store.epochs.newest(template.id),
      start,
      // Superseded leftovers of a crashed run are retracted by the sessions that cover them.
      sink: withLateTopic(
        withSupersededRetractions(createStoreSink(parts.store), parts.store),
        producer,
        input.lateTopic,
      ),
      sinkOptions: parts.config.sink,
      limits: {
        maxBytes: parts.config.decode.maxRecordBytes,
        maxDepth: parts.config.decode.maxDepth,
      },
      metrics: parts.metrics,
      logger,
      health: parts.health,
      now: parts.now,
      signal: parts.signal,
      checkpointIntervalMs: input.checkpointIntervalMs,
      enrichment,
      tally,
      ...(parts.followTemplate === null
        ? {}
        : {
            templateWatch: {
              fetchLatest: () => latestPublished(parts.store, template.id),
              intervalMs: input.templatePollMs,
            },
          }),
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Waits until this correlator is the only member of its consumer group
 * (`waitUntilSoleMember`); meanwhile the `group` health check fails, naming
 * the members it waits for. False when the run was stopped while waiting.
 */
async function waitAsStandby(parts: LiveCorrelateParts, admin: KafkaAdmin): Promise<boolean> {
  let waitingFor: string | undefined;
  parts.health.register('group', () =>
    waitingFor === undefined ? { ok: true } : { ok: false, detail: waitingFor },
  );
  return waitUntilSoleMember({
    admin,
    groupId: parts.input.groupId,
    signal: parts.signal,
    logger: parts.logger,
    onWaiting: (members) => {
      waitingFor =
        members === null
          ? undefined
          : `standby: consumer group ${parts.input.groupId} has ${members.length} other member(s) ` +
            `(${members.map((m) => `${m.clientId}@${m.clientHost}`).join(', ')}); taking over when they leave`;
    },
  });
}

/** The late side queue gets as many partitions as the widest source topic (created once, if missing). */
function lateTopicPartitions(partitions: readonly TopicPartition[]): number {
  const perTopic = new Map<string, number>();
  for (const p of partitions) perTopic.set(p.topic, (perTopic.get(p.topic) ?? 0) + 1);
  return Math.max(1, ...perTopic.values());
}

/**
 * Where a `--replay-from T` run starts reading: T minus the template's gap and
 * maxSpan, so that a session going on at T (at most maxSpan long) is read
 * from its first record.
 */
function replayStart(template: Template, replayFrom: number): number {
  return replayFrom - template.baseline.gap - template.baseline.maxSpan;
}

/** Per partition of `topics` (`partitionKey`), the offset of the first record at or after `at`: the start offsets of a replay. */
async function offsetsAt(
  admin: Pick<KafkaAdmin, 'fetchTopicOffsetsByTimestamp'>,
  topics: readonly string[],
  at: number,
): Promise<Map<string, string>> {
  const offsets = new Map<string, string>();
  for (const topic of topics) {
    for (const { partition, offset } of await offsetsAtTime(admin, topic, at)) {
      offsets.set(partitionKey(topic, partition), offset);
    }
  }
  return offsets;
}
