import type { Store } from '@weft/storage';
import type { Template } from '@weft/templates';
import type { CorrelateConfig, InputMode } from '../config.js';
import type { HealthChecks } from '../http/index.js';
import { createKafkajsClient } from '../kafka/index.js';
import type { KafkaAdmin, KafkaClient } from '../kafka/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { checkpointStore } from '../live/checkpoint-store.js';
import { runLive } from '../live/live-run.js';
import { latestPublished } from '../live/template-change.js';
import { prepareLiveStart } from '../live/live-start.js';
import { createProfileMirror } from '../live/profile-mirror.js';
import type { TopicPartition } from '../live/live-watermark.js';
import { listPartitions, sourceTopics } from '../live/source-topics.js';
import { withLateTopic } from '../late/index.js';
import { createStoreSink, withReplayCutoff, withSupersededRetractions } from '../pipeline/index.js';
import type { Sink } from '../pipeline/index.js';
import { offsetsAtTime, partitionKey } from '../sources/index.js';
import type { RunSummary } from '../run/index.js';
import { openEnrichment } from '../enrichment/index.js';
import { eventSourceIds } from './template-ref.js';

export interface LiveCorrelateParts {
  config: CorrelateConfig;
  input: Extract<InputMode, { kind: 'kafka' }>;
  template: Template;
  /** `--template ID` without a version: the run follows its published versions. */
  followTemplate: string | null;
  store: Store;
  metrics: CorrelatorMetrics;
  logger: Logger;
  health: HealthChecks;
  now: () => number;
  signal: AbortSignal;
  /** Overrides the kafkajs client (tests). */
  kafka?: KafkaClient;
}

/**
 * `weft correlate --kafka`: resolves the template's source topics and their
 * partitions, creates the late side queue topic when it is missing, restores the newest checkpoint (or builds a new job), and runs
 * the pipeline until `signal` aborts.
 *
 * @example await runLiveCorrelate({ config, input: config.input, template, store, metrics, logger, health, now: Date.now, signal });
 */
export async function runLiveCorrelate(parts: LiveCorrelateParts): Promise<RunSummary> {
  const { input, template, logger } = parts;
  const kafka =
    parts.kafka ??
    createKafkajsClient({
      brokers: input.brokers,
      clientId: 'weft-correlator',
      logger: logger.child({ component: 'kafkajs' }),
    });
  const topics = sourceTopics(eventSourceIds(template), input.topicPrefix);
  const admin = kafka.admin();
  await admin.connect();
  let partitions: TopicPartition[];
  let replayOffsets: Map<string, string> | null = null;
  try {
    partitions = await listPartitions(admin, [...topics.keys()]);
    await admin.createTopics([
      { topic: input.lateTopic, numPartitions: lateTopicPartitions(partitions) },
    ]);
    if (input.replayFrom !== null) {
      replayOffsets = await offsetsAt(
        admin,
        [...topics.keys()],
        replayStart(template, input.replayFrom),
      );
    }
  } finally {
    await admin.disconnect();
  }
  // Live runs read dimension tables from the store only, and refresh them every cacheTtl.
  const enrichment = await openEnrichment({
    template,
    store: parts.store,
    inputs: [],
    metrics: parts.metrics,
    logger,
    now: parts.now,
  });
  const start = await prepareLiveStart({
    template,
    partitions,
    groupId: input.groupId,
    checkpoints: checkpointStore(input.checkpointDir),
    claimEpoch: (atLeast) => parts.store.epochs.claim(template.id, atLeast),
    now: parts.now,
    onInvalid: (file, why) => logger.warn({ file, why }, 'skipping an unreadable checkpoint'),
    mirror: createProfileMirror({ store: parts.store, templateId: template.id, logger }),
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
  if (input.replayFrom !== null) {
    const replay = {
      replayFrom: new Date(input.replayFrom).toISOString(),
      warmUpFrom: new Date(replayStart(template, input.replayFrom)).toISOString(),
    };
    if (start.restored === null && replayOffsets !== null) {
      start.startOffsets = replayOffsets;
      logger.info(replay, 'replaying the source topics from the warm-up start (--replay-from)');
    } else {
      logger.info(
        replay,
        'a checkpoint was restored: --replay-from moves no offsets; sessions ending before it are still not written',
      );
    }
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
      sink: withCutoff(
        withLateTopic(
          withSupersededRetractions(createStoreSink(parts.store), parts.store),
          producer,
          input.lateTopic,
        ),
        input.replayFrom,
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

function withCutoff(sink: Sink, replayFrom: number | null): Sink {
  return replayFrom === null ? sink : withReplayCutoff(sink, replayFrom);
}
