import type { Store } from '@weft/storage';
import type { Template } from '@weft/templates';
import type { CorrelateConfig, InputMode } from '../config.js';
import type { HealthChecks } from '../http/index.js';
import { createKafkajsClient } from '../kafka/index.js';
import type { KafkaClient } from '../kafka/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { checkpointStore } from '../live/checkpoint-store.js';
import { runLive } from '../live/live-run.js';
import { prepareLiveStart } from '../live/live-start.js';
import type { TopicPartition } from '../live/live-watermark.js';
import { listPartitions, sourceTopics } from '../live/source-topics.js';
import { createStoreSink } from '../pipeline/index.js';
import type { RunSummary } from '../run/index.js';
import { eventSourceIds } from './template-ref.js';

export interface LiveCorrelateParts {
  config: CorrelateConfig;
  input: Extract<InputMode, { kind: 'kafka' }>;
  template: Template;
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
 * partitions, restores the newest checkpoint (or builds a new job), and runs
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
  try {
    partitions = await listPartitions(admin, [...topics.keys()]);
  } finally {
    await admin.disconnect();
  }
  const start = await prepareLiveStart({
    template,
    partitions,
    groupId: input.groupId,
    checkpoints: checkpointStore(input.checkpointDir),
    now: parts.now,
    onInvalid: (file, why) => logger.warn({ file, why }, 'skipping an unreadable checkpoint'),
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
  return runLive({
    templateId: template.id,
    kafka,
    groupId: input.groupId,
    topics,
    partitions,
    fromBeginning: input.fromBeginning,
    sessionTimeoutMs: input.sessionTimeoutMs,
    start,
    sink: createStoreSink(parts.store),
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
  });
}
