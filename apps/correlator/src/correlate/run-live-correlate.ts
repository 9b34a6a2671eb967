import { CombinedWatermark } from '@weft/engine';
import type { Store } from '@weft/storage';
import { compileTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import type { CorrelateConfig, InputMode } from '../config.js';
import type { HealthChecks } from '../http/index.js';
import { createKafkajsClient } from '../kafka/index.js';
import type { KafkaClient } from '../kafka/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { LiveJob } from '../live/live-job.js';
import { runLive } from '../live/live-run.js';
import type { LiveStart } from '../live/live-run.js';
import { LiveWatermark, watermarkOptionsOf } from '../live/live-watermark.js';
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
 * partitions, builds the live job and runs the pipeline until `signal` aborts.
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
  const start = freshStart(template, partitions, parts.now());
  logger.info(
    { template: template.id, version: template.version, partitions: partitions.length },
    'live job built',
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

/** A new job and watermark, starting at the group's committed offsets; no checkpoints. */
function freshStart(
  template: Template,
  partitions: readonly TopicPartition[],
  now: number,
): LiveStart {
  const watermark = new LiveWatermark(
    new CombinedWatermark(watermarkOptionsOf(template, partitions)),
    0,
    now,
  );
  return {
    job: new LiveJob(compileTemplate(template), watermark, 0),
    startOffsets: new Map(),
    save: null,
  };
}
