import { CorrelatorError, messageOf } from '../errors.js';
import type { HealthChecks } from '../http/index.js';
import { parsePartitionKey, partitionKey } from '../kafka/index.js';
import type { KafkaClient, OffsetCommit } from '../kafka/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { replayCutoff } from '../pipeline/index.js';
import type { Sink, SinkItem } from '../pipeline/index.js';
import { emptySummary, finalize } from '../run/index.js';
import type { RunSummary, Tally } from '../run/index.js';
import { createGate } from '../run/gate.js';
import { compileTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { pollTemplate } from './template-change.js';
import { createLateWorker, parseLateMessage } from '../late/index.js';
import type { LateStore, PendingLate } from '../late/index.js';
import { createKafkaSource, decodeInput } from '../sources/index.js';
import type { DecodeLimits, KafkaSource, RawInput } from '../sources/index.js';
import { ConsumedOffsets, createCheckpointer } from './live-checkpoint.js';
import { watchHeartbeats } from './kafka-heartbeat.js';
import { UnfetchedBacklog } from './unfetched-backlog.js';
import { startLagPoller } from './lag-poller.js';
import type { LiveJob } from './live-job.js';
import { createLiveOutput } from './live-output.js';
import type { EnrichmentCache } from '../enrichment/index.js';
import type { LiveOutput } from './live-output.js';
import { watermarkPartitionName } from './live-watermark.js';
import type { LiveWatermark, TopicPartition } from './live-watermark.js';
import { partitionsAhead } from './watermark-alignment.js';

/** Where a live run starts and how it saves its progress (checkpoints). */
export interface LiveStart {
  job: LiveJob;
  /** Late records consumed from the side queue and waiting for their horizon (operator state). */
  late: PendingLate;
  /** Per partition (`partitionKey`), the next offset to read; others start at the group's offsets. */
  startOffsets: ReadonlyMap<string, string>;
  /**
   * Saves a checkpoint: called with the job stopped between two inputs and
   * every output before it durable; `offsets` are the next offsets to read.
   * Null when the run takes no checkpoints (then it commits nothing).
   */
  save: ((job: LiveJob, offsets: readonly OffsetCommit[]) => Promise<void>) | null;
  /**
   * The replay cut-off (`replayCutoff`) on the job's outputs, epoch ms: set by
   * `--replay-from` or by a rebuild, and kept in the checkpoints; null: none.
   */
  replayFrom: number | null;
}

export interface LiveRunOptions {
  templateId: string;
  kafka: KafkaClient;
  groupId: string;
  /** Topic → template source id. */
  topics: ReadonlyMap<string, string>;
  /** The late side queue topic (consumed by the same member, outside the watermark); null: none. */
  lateTopic: string | null;
  /** Where the late reprocessor reads stored sessions and orphans. */
  lateStore: LateStore;
  partitions: readonly TopicPartition[];
  fromBeginning: boolean;
  /** Kafka group session timeout; a restarted member waits this long for its crashed predecessor to leave. */
  sessionTimeoutMs: number;
  /**
   * Watermark alignment (`src/live/watermark-alignment.ts`): on every tick,
   * partitions whose watermark is more than this ahead of the slowest
   * partition with a backlog are paused. Null or absent: off.
   */
  maxWatermarkDriftMs?: number | null;
  start: LiveStart;
  sink: Sink;
  sinkOptions: { batchMaxRecords: number; batchMaxDelayMs: number; maxQueued: number };
  limits: DecodeLimits;
  metrics: CorrelatorMetrics;
  logger: Logger;
  health?: HealthChecks;
  /** The wall clock: processing time of the job and of dead letters. */
  now: () => number;
  /** Aborting it is SIGTERM: stop, checkpoint, commit, return. */
  signal: AbortSignal;
  /** How often processing time advances without input (timeouts, idleness). Default 200 ms. */
  tickMs?: number;
  /** Default 10 000 ms; only with `start.save`. */
  checkpointIntervalMs?: number;
  /** How often the consumer lag is refreshed from the brokers' end offsets. Default 1 000 ms. */
  lagPollMs?: number;
  /** At shutdown, how long the store gets to acknowledge what is queued. Default 30 000 ms. */
  shutdownTimeoutMs?: number;
  /** Called once the consumer runs (tests, logs). */
  onRunning?: () => void;
  /**
   * Polls the newest published template version (`--template ID` without a
   * version); absent: no polling. A version the job's state can serve is
   * applied live; one that changes the sources, baseline or supplement joins
   * ends the run (final checkpoint, offsets committed) with `rebuild` set, for
   * the caller to start that version's pipeline (`prepareLiveStart` rebuilds
   * it from this run's checkpoint).
   */
  templateWatch?: { fetchLatest: () => Promise<Template | null>; intervalMs: number };
  /**
   * The template's enrichment lookups (the job was built with its enricher):
   * refreshed in the background every `cacheTtl`, reported by the
   * `enrichment` health check, used by the late reprocessor and retargeted
   * on a live template change.
   */
  enrichment?: EnrichmentCache;
  /** How often due enrichment tables are looked for. Default 1 000 ms. */
  enrichmentCheckMs?: number;
  /**
   * The newest epoch claimed for the template (`store.epochs.newest`). When
   * given, the run stops with an error, without a checkpoint, as soon as an
   * epoch above its own was claimed: checked before every checkpoint is saved
   * and every `epochCheckMs` (default 10 000).
   */
  newestEpoch?: () => Promise<number | null>;
  epochCheckMs?: number;
  /**
   * What the run counts into (inputs, sessions, dead letters …): the whole
   * live run's tally, kept across the pipelines of its rebuilds. Default: a new one.
   */
  tally?: Tally;
}

/**
 * Another writer claimed a newer epoch for the template (a backfill, a
 * bounded run, another live run on the same database): the store now keeps
 * that writer's versions and ignores this run's updates of the same sessions.
 */
export class SupersededError extends CorrelatorError {
  constructor(templateId: string, own: number, newest: number) {
    super(
      `This live run of template '${templateId}' writes in epoch ${own}, but epoch ${newest} has been claimed since ` +
        '(by a backfill, a bounded `weft correlate --input` run or another live run on the same database): ' +
        'the store would ignore its updates of every session that writer stored. It stopped without a checkpoint; ' +
        'start it again to claim a newer epoch: it replays from its last checkpoint, so nothing it read is lost.',
    );
  }

  override name = 'SupersededError' as const;
}

/** The source id of the late side queue topic's inputs (never a template source id). */
const LATE_SOURCE = '$late';

/**
 * `weft correlate --kafka`: consumes the template's source topics in a
 * consumer group, runs the live job (per-partition watermarks, processing
 * time from the wall clock), writes its outputs through the batching writer
 * (fetching is paused while the writer is full or the store is down), and
 * every `checkpointIntervalMs` and at shutdown stops feeding the job, waits
 * until the store acknowledged everything emitted so far, saves a checkpoint
 * with the next offsets and commits those offsets to Kafka.
 *
 * @example
 * const summary = await runLive({ ...options, signal: controller.signal });
 */
export async function runLive(options: LiveRunOptions): Promise<LiveRunResult> {
  const { metrics, logger, now, start } = options;
  const job = start.job;
  const cutoff =
    start.replayFrom === null ? (items: SinkItem[]) => items : replayCutoff(start.replayFrom);
  /** A published version the job's state cannot serve: the run ends for its rebuild. */
  let rebuild: Template | null = null;
  const summary = options.tally ?? emptySummary(options.templateId, [], []);
  const offsets = new ConsumedOffsets(
    [...start.startOffsets].map(([key, nextOffset]) => {
      const { topic, partition } = parsePartitionKey(key);
      return { topic, partition: Number(partition), nextOffset };
    }),
  );
  const gate = createGate();
  const barrier = createGate();
  /** The session timeouts' clock stops while the sink or a checkpoint holds the input back. */
  const holdClock = (): void => job.holdClock(!gate.isOpen || !barrier.isOpen, now());

  let stopping = false;
  /** The idleness clock runs only once this member has its partitions. */
  let assigned = false;
  let consumerError: string | undefined;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeoutMs: options.sessionTimeoutMs,
    heartbeatIntervalMs: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3)),
  });
  const heartbeats = watchHeartbeats(consumer, options);
  options.health?.register('kafka', () => {
    const detail = consumerError ?? heartbeats.problem();
    return detail === undefined ? { ok: true } : { ok: false, detail };
  });
  const lateTopic = options.lateTopic;
  /** The partitions whose `weft_consumer_lag` this pipeline set, removed when it ends. */
  const lagged = new Map<string, { topic: string; partition: string }>();
  const setLag = (topic: string, partition: number, lag: number): void => {
    const labels = { topic, partition: String(partition) };
    lagged.set(partitionKey(topic, partition), labels);
    metrics.consumerLag.set(labels, lag);
  };
  /** Sought partitions with records in Kafka that have not delivered one yet: not caught up. */
  const unfetched = new UnfetchedBacklog();
  const source = createKafkaSource({
    consumer,
    topics:
      lateTopic === null ? options.topics : new Map([...options.topics, [lateTopic, LATE_SOURCE]]),
    fromBeginning: options.fromBeginning,
    maxQueued: options.sinkOptions.maxQueued,
    startOffsets: start.startOffsets,
    onAssignment: (assignment) => {
      assigned = true;
      logger.info({ assignment }, 'partitions assigned');
    },
    onFetched: (topic, partition) => unfetched.fetchedFrom(topic, partition),
    onBatch: ({ topic, partition, highWatermark, lastOffset }) => {
      unfetched.fetchedFrom(topic, partition);
      setLag(topic, partition, Number(BigInt(highWatermark) - BigInt(lastOffset) - 1n));
    },
  });
  const output = createLiveOutput({
    ...options,
    summary,
    onBackpressure: (paused) => {
      source.hold('sink', paused);
      gate.set(!paused);
      holdClock();
    },
  });
  const enrichment = options.enrichment?.active ? options.enrichment : undefined;
  if (enrichment !== undefined) options.health?.register('enrichment', () => enrichment.health());
  const stopEnrichment = enrichment?.refreshEvery(options.enrichmentCheckMs ?? 1_000);
  const lateWorker = createLateWorker({
    pending: start.late,
    store: options.lateStore,
    compiled: () => job.compiled,
    ...(enrichment === undefined ? {} : { enrich: enrichment.enrich }),
    flush: () => output.writer.flush(),
    emit: (items) => output.emit(items),
    metrics,
    logger,
    now,
  });
  /** A failure that ends the run without a checkpoint (the input loop sees it after its current input). */
  let fatal: Error | undefined;
  const stopWith = (error: Error): void => {
    if (fatal !== undefined) return;
    fatal = error;
    logger.error({ err: error }, error.message);
    stopping = true;
    source.interrupt();
    gate.set(true);
  };
  /** Throws (and stops the run) once a newer epoch than the job's was claimed. */
  const assertNewestEpoch = async (): Promise<void> => {
    if (options.newestEpoch === undefined) return;
    const newest = await options.newestEpoch();
    if (newest !== null && newest > job.epoch) {
      const error = new SupersededError(options.templateId, job.epoch, newest);
      stopWith(error);
      throw error;
    }
  };
  const checkpoints =
    start.save === null
      ? null
      : createCheckpointer({
          job,
          offsets,
          writer: output.writer,
          consumer,
          // Saved only while no newer writer exists: every write before it counted.
          save: async (state, commits) => {
            await assertNewestEpoch();
            await start.save?.(state, commits);
          },
          setFeeding: (feeding) => {
            barrier.set(feeding);
            holdClock();
            if (feeding && !stopping) lateWorker.resume();
          },
          quiesce: () => lateWorker.pause(),
          logger,
        });

  /** Items the writer takes before its bound: a timeout wave is emitted in portions of it. */
  const sinkRoom = (): number => options.sinkOptions.maxQueued - output.writer.queued;

  const processInput = (input: RawInput): void => {
    const at = now();
    const { topic = '', partition = 0, offset = '0' } = input.origin;
    summary.inputs[input.source] = (summary.inputs[input.source] ?? 0) + 1;
    metrics.recordsIn.inc({ source: input.source });
    const decoded = decodeInput(input, {
      limits: options.limits,
      templateId: options.templateId,
      now: () => at,
    });
    if (input.origin.topic === lateTopic) {
      if (decoded.ok) queueLate(decoded.text, input, at);
      else output.emit([{ kind: 'deadLetter', deadLetter: decoded.deadLetter }]);
      offsets.consumed(topic, partition, offset);
      lateWorker.schedule(job.job.currentWatermark);
      return;
    }
    const partitionName = watermarkPartitionName({ topic, partition });
    output.emit(
      decoded.ok
        ? cutoff(
            job.push(
              {
                source: input.source,
                raw: decoded.text,
                value: decoded.record,
                origin: input.origin,
                partition: partitionName,
              },
              at,
              sinkRoom(),
            ),
          )
        : [{ kind: 'deadLetter', deadLetter: decoded.deadLetter }],
    );
    offsets.consumed(topic, partition, offset);
    lateWorker.schedule(job.job.currentWatermark);
  };

  /** A late side queue message: this template's records wait for their horizon; others are not ours. */
  const queueLate = (text: string, input: RawInput, at: number): void => {
    const parsed = parseLateMessage(text);
    if (!parsed.ok) {
      output.emit([
        {
          kind: 'deadLetter',
          deadLetter: {
            templateId: options.templateId,
            source: LATE_SOURCE,
            reason: parsed.reason,
            raw: text,
            origin: input.origin,
            at,
          },
        },
      ]);
    } else if (parsed.late.templateId === options.templateId) {
      start.late.add(parsed.late);
      metrics.latePending.set({ template: options.templateId }, start.late.size);
    }
  };

  const onAbort = (): void => {
    stopping = true;
    source.interrupt();
    gate.set(true);
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  // Stopped while starting (before the listener existed): stop at once, or the loop would wait forever.
  if (options.signal.aborted) onAbort();
  const alignment = watermarkAlignment(options, source, job.watermark);
  const ticker = setInterval(() => {
    if (checkpoints?.inProgress || stopping) return;
    const at = now();
    // Held like the input while the writer is over its bound: a tick that moves the
    // watermark can fire thousands of sessions, and queueing them would bypass backpressure.
    if (!gate.isOpen) return updateGauges(options, at);
    const caughtUp = assigned && source.caughtUp && unfetched.empty;
    output.emit(cutoff(job.tick(at, caughtUp, sinkRoom())));
    lateWorker.schedule(job.job.currentWatermark);
    alignment?.();
    updateGauges(options, at);
  }, options.tickMs ?? 200);
  /** Why the last poll of the published versions failed; undefined once one succeeds. */
  let templateProblem: string | undefined;
  if (options.templateWatch !== undefined) {
    options.health?.register('template', () =>
      templateProblem === undefined ? { ok: true } : { ok: false, detail: templateProblem },
    );
  }
  let polling = false;
  const templateTimer =
    options.templateWatch === undefined
      ? undefined
      : setInterval(() => {
          if (polling || stopping || options.templateWatch === undefined) return;
          polling = true;
          pollTemplate(options.templateWatch.fetchLatest, job.compiled.template)
            .then(async (change) => {
              // The new version's lookups are loaded first, so its first firing is enriched.
              if (change.kind === 'compatible') await options.enrichment?.retarget(change.template);
              return change;
            })
            .then((change) => {
              templateProblem = undefined;
              // Between two inputs (this callback never runs inside one), so the switch is atomic.
              if (change.kind === 'compatible') {
                const from = job.compiled.template.version;
                job.switchTemplate(compileTemplate(change.template));
                start.late.retarget(change.template);
                logger.info(
                  { template: options.templateId, from, to: change.template.version },
                  'template version applied live; it takes effect from the next firing',
                );
              } else if (change.kind === 'incompatible' && !stopping) {
                rebuild = change.template;
                logger.warn(
                  {
                    template: options.templateId,
                    from: job.compiled.template.version,
                    to: change.template.version,
                  },
                  'the published version changes the sources, baseline or supplement joins: ' +
                    'stopping this pipeline to rebuild it from the topics',
                );
                onAbort();
              }
            })
            .catch((error: unknown) => {
              templateProblem = `polling the published versions failed: ${messageOf(error)}`;
              logger.warn({ err: error }, 'polling the published template versions failed');
            })
            .finally(() => {
              polling = false;
            });
        }, options.templateWatch.intervalMs);
  const checkpointTimer = setInterval(
    () => void checkpoints?.take('interval'),
    options.checkpointIntervalMs ?? 10_000,
  );
  let checkingEpoch = false;
  const epochTimer =
    options.newestEpoch === undefined
      ? undefined
      : setInterval(() => {
          if (checkingEpoch || stopping) return;
          checkingEpoch = true;
          assertNewestEpoch()
            .catch((error: unknown) => {
              // An unreachable store is the sink's check to report; the next poll retries.
              if (!(error instanceof SupersededError))
                logger.warn({ err: error }, 'reading the newest epoch failed');
            })
            .finally(() => {
              checkingEpoch = false;
            });
        }, options.epochCheckMs ?? 10_000);
  const lagPoller = startLagPoller({
    admin: options.kafka.admin(),
    topics: [...options.topics.keys()],
    // Counted from where the consumer stands: a final transaction marker is not lag.
    consumed: () =>
      offsets.list().map((o) => ({
        ...o,
        nextOffset: source.positionAfter(o.topic, o.partition, BigInt(o.nextOffset)).toString(),
      })),
    report: (topic, partition, lag) => {
      unfetched.lag(topic, partition, lag);
      setLag(topic, partition, lag);
    },
    intervalMs: options.lagPollMs ?? 1_000,
    logger,
  });

  let failure: unknown;
  try {
    if (!options.signal.aborted) {
      await source.start();
      options.onRunning?.();
      logger.info(
        { topics: [...options.topics.keys()], group: options.groupId },
        'live run started',
      );
    }
    const inputs = source.inputs[Symbol.asyncIterator]();
    while (!stopping) {
      const next = await inputs.next();
      if (next.done) break;
      await gate.wait();
      await barrier.wait();
      if (stopping) break;
      processInput(next.value);
    }
  } catch (error) {
    failure = error;
    consumerError = messageOf(error);
  } finally {
    clearInterval(ticker);
    clearInterval(checkpointTimer);
    clearInterval(epochTimer);
    clearInterval(templateTimer);
    options.signal.removeEventListener('abort', onAbort);
    await lagPoller.stop();
    await stopEnrichment?.();
    // A rebuild may read other topics: this pipeline's lag must not stay on /metrics, frozen.
    for (const labels of lagged.values()) metrics.consumerLag.remove(labels);
  }
  failure ??= fatal;
  try {
    if (failure === undefined) {
      if (checkpoints === null) await lateWorker.pause();
      await shutDown(output, checkpoints, options.shutdownTimeoutMs ?? 30_000);
    } else {
      output.writer.stop();
    }
  } finally {
    await source.stop().catch((error: unknown) => logger.warn({ err: error }, 'leaving the group'));
  }
  if (failure !== undefined) throw failure;
  updateGauges(options, now());
  return { summary: finalize(summary), rebuild };
}

/** How a live run ended: its summary, and the template version to rebuild the pipeline for, if any. */
export interface LiveRunResult {
  summary: RunSummary;
  /** A published version that changes the state's shape (sources, baseline, joins); null: stopped. */
  rebuild: Template | null;
}

/**
 * The tick's watermark alignment step, or null when it is off: pauses the
 * template's partitions that run ahead of the slowest backlogged one by more
 * than the drift, and resumes them once it has caught up.
 */
function watermarkAlignment(
  options: LiveRunOptions,
  source: KafkaSource,
  watermark: LiveWatermark,
): (() => void) | null {
  const maxDriftMs = options.maxWatermarkDriftMs;
  if (maxDriftMs === undefined || maxDriftMs === null) return null;
  const byName = new Map(options.partitions.map((p) => [watermarkPartitionName(p), p]));
  let pausedBefore = 0;
  return () => {
    const backlogged = new Set(source.backlogged().map(watermarkPartitionName));
    const ahead = partitionsAhead({
      watermarks: watermark.partitionWatermarks(),
      backlogged,
      maxDriftMs,
    });
    const paused = [...ahead].flatMap((name) => byName.get(name) ?? []);
    source.align(paused);
    options.metrics.alignmentPaused.set({ template: options.templateId }, paused.length);
    if (paused.length !== pausedBefore) {
      options.logger.debug({ paused: [...ahead] }, 'watermark alignment');
      pausedBefore = paused.length;
    }
  };
}

function updateGauges(options: LiveRunOptions, at: number): void {
  const { job } = options.start;
  options.metrics.openSessions.set({ template: options.templateId }, job.openSessions);
  const watermark = job.watermark.current;
  if (watermark !== null) {
    options.metrics.watermarkDelay.set({ template: options.templateId }, (at - watermark) / 1_000);
  }
}

/** The final checkpoint, then every queued write durable, within `timeoutMs` of the stop signal. */
async function shutDown(
  output: LiveOutput,
  checkpoints: ReturnType<typeof createCheckpointer> | null,
  timeoutMs: number,
): Promise<void> {
  await withinTimeout(
    (async () => {
      await checkpoints?.take('shutdown');
      await output.writer.close();
    })(),
    timeoutMs,
    () => {
      output.writer.stop();
      const last = output.lastWriteError;
      return new ShutdownError(
        `the store did not acknowledge the queued writes within ${timeoutMs} ms of the stop signal` +
          `${last ? ` (last error: ${last})` : ''}; nothing after the last checkpoint was committed, so a restart replays it.`,
      );
    },
  );
}

/** The pipeline could not stop cleanly: what is not durable is replayed by the next start. */
export class ShutdownError extends CorrelatorError {
  override name = 'ShutdownError' as const;
}

async function withinTimeout(
  work: Promise<void>,
  ms: number,
  onTimeout: () => Error,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
