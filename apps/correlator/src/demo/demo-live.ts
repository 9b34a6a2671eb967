import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scenarioById, topicOf } from '@weft/simulator';
import { pino } from 'pino';
import { z } from 'zod';
import { openStore } from '@weft/storage';
import { runCorrelate } from '../correlate/run-correlate.js';
import { loadTemplateRef } from '../correlate/template-ref.js';
import { dimensionLoadSpec } from '../enrichment/index.js';
import { CorrelatorError, messageOf } from '../errors.js';
import { createInProcessKafka } from '../kafka/index.js';
import type { KafkaClient } from '../kafka/index.js';
import { createLogger } from '../logging.js';
import type { Logger } from '../logging.js';
import { createEngineJob } from '../run/index.js';
import { DEMO_SCENARIOS } from './demo-scenarios.js';
import type { DemoScenario } from './demo-scenarios.js';
import { demoLivePaths, safeJson } from './demo-files.js';
import { liveTrafficDimensions, runLiveTraffic } from './live-traffic.js';

/** The demo's topics: `weft.demo.<source>`, 3 partitions each, as `weft simulate --kafka` makes them. */
const TOPIC_PREFIX = 'weft.demo.';
const PARTITIONS = 3;
/**
 * The topics' `retention.ms`, which bounds the log's memory (about 100 MB at
 * the default rate): longer than the example templates' settle delay (2 h
 * 25 min), so the rebuild after a publish that changes the sources still
 * finds the records it replays.
 */
const RETENTION_MS = 4 * 3_600_000;

export interface DemoLiveOptions {
  dataDir: string;
  dbUrl: string;
  /** New orders per minute and scenario. */
  ordersPerMinute: number;
  seed: number;
  /** Orders of the demo's batch: live order indexes start after them (and after earlier live runs'). */
  batchOrders: number;
  now: () => number;
  /** Aborting it stops the traffic and the correlators (final checkpoint, writes drained). */
  signal: AbortSignal;
}

/** What the live phase did, per scenario. */
export interface DemoLiveResult {
  produced: Record<string, number>;
  /** `weft correlate`'s summary line per scenario. */
  correlated: Record<string, string>;
}

const LiveStateSchema = z.object({ nextOrder: z.number().int().min(0) });

/**
 * The demo's live phase: simulated traffic of every demo scenario arrives in
 * real time on an in-process log (`createInProcessKafka`: the live
 * pipeline's Kafka seam, without a broker), and `weft correlate`'s own live
 * path correlates each scenario with its published template into the demo
 * store — watermarks, early and final firings, processing-time timeouts,
 * the late side queue and the late reprocessor, checkpoints, live template
 * versions (a version published in the wizard applies from the next firing).
 * Runs until `signal` aborts.
 *
 * The in-process log lives as long as the process: each run starts with new
 * topics and without checkpoints, so sessions still open at the stop are
 * not stored; order ids continue after the batch's and every earlier live
 * run's (`live.json`), so no run reuses another's ids.
 *
 * @example await runDemoLive({ dataDir, dbUrl, ordersPerMinute: 60, seed: 1, batchOrders: 2000, now: Date.now, signal });
 */
export async function runDemoLive(options: DemoLiveOptions): Promise<DemoLiveResult> {
  const paths = demoLivePaths(options.dataDir);
  rmSync(paths.checkpoints, { recursive: true, force: true });
  const firstOrder = Math.max(options.batchOrders, readNextOrder(paths.state));
  const kafka = createInProcessKafka({ now: options.now });
  const admin = kafka.admin();
  await admin.createTopics(
    DEMO_SCENARIOS.flatMap(({ scenario }) =>
      scenarioById(scenario).sources.map((source) => ({
        topic: topicOf(source.id, TOPIC_PREFIX),
        numPartitions: PARTITIONS,
        configEntries: { 'retention.ms': String(RETENTION_MS) },
      })),
    ),
  );
  const logger = createLogger({
    level: 'info',
    destination: pino.destination({ dest: paths.log, append: true, sync: false }),
  });
  await loadDimensions(options);
  const stop = new AbortController();
  const onStop = (): void => stop.abort();
  options.signal.addEventListener('abort', onStop, { once: true });
  if (options.signal.aborted) stop.abort();
  let nextOrder = firstOrder;
  const producer = kafka.producer();
  await producer.connect();
  const result: DemoLiveResult = { produced: {}, correlated: {} };
  const failures: string[] = [];
  try {
    await Promise.all(
      DEMO_SCENARIOS.map(async (demo) => {
        const correlating = correlate(demo, kafka, logger, options, paths.checkpoints, stop.signal)
          .then((summary) => {
            result.correlated[demo.scenario] = summary;
          })
          .catch((error: unknown) => {
            failures.push(`${demo.templateId}: ${messageOf(error)}`);
            stop.abort();
          });
        const traffic = await runLiveTraffic({
          scenario: demo.scenario,
          ordersPerMinute: options.ordersPerMinute,
          seed: options.seed,
          firstOrder,
          start: options.now(),
          producer,
          topicPrefix: TOPIC_PREFIX,
          now: options.now,
          signal: stop.signal,
          onHour: (_hour, first, orders) => {
            // Saved before the hour's first record is sent: a later run never reuses its ids.
            nextOrder = Math.max(nextOrder, first + orders);
            // Written whole or not at all: a torn file would make the next run refuse to start.
            writeFileSync(`${paths.state}.tmp`, `${JSON.stringify({ nextOrder })}\n`);
            renameSync(`${paths.state}.tmp`, paths.state);
          },
        }).catch((error: unknown) => {
          failures.push(`${demo.scenario} traffic: ${messageOf(error)}`);
          stop.abort();
          return { produced: 0 };
        });
        result.produced[demo.scenario] = traffic.produced;
        await correlating;
      }),
    );
  } finally {
    options.signal.removeEventListener('abort', onStop);
    await producer.disconnect();
    logger.flush();
  }
  if (failures.length > 0) {
    throw new DemoLiveError(
      `the live phase stopped: ${failures.join('; ')} (the correlators' log: ${paths.log})`,
    );
  }
  return result;
}

/** One scenario's `weft correlate --kafka` run, in-process, over the in-process log. */
async function correlate(
  demo: DemoScenario,
  kafka: KafkaClient,
  logger: Logger,
  options: DemoLiveOptions,
  checkpoints: string,
  signal: AbortSignal,
): Promise<string> {
  const group = `weft-demo-${demo.templateId}`;
  let line = '';
  await runCorrelate({
    flags: {
      template: demo.templateId,
      // A placeholder that passes the flag's check: the in-process log below replaces the client.
      kafka: 'in-process:0',
      db: options.dbUrl,
      topicPrefix: TOPIC_PREFIX,
      group,
      checkpointDir: path.join(checkpoints, group),
    },
    env: {},
    readFile: (file) => readFileSync(file, 'utf8'),
    jobFactory: createEngineJob,
    out: (text) => {
      line = text;
    },
    now: options.now,
    logger: logger.child({ scenario: demo.scenario }),
    signal,
    kafka,
  });
  return line === '' ? `${demo.templateId}: stopped` : line;
}

/**
 * Stores the traffic's dimension tables (its world's, the same every hour)
 * for the templates' lookups, as `weft dimension load` would: live runs read
 * dimension tables from the store only.
 */
async function loadDimensions(options: DemoLiveOptions): Promise<void> {
  const store = await openStore(options.dbUrl);
  try {
    for (const demo of DEMO_SCENARIOS) {
      const template = await loadTemplateRef({ kind: 'stored', id: demo.templateId }, store);
      for (const table of liveTrafficDimensions({ ...options, scenario: demo.scenario })) {
        const source = template.sources.find((s) => s.kind === 'sql' && s.table === table.name);
        if (source === undefined) continue;
        await store.dimensions.load(dimensionLoadSpec(template, source.id), table.rows);
      }
    }
  } finally {
    await store.close();
  }
}

function readNextOrder(file: string): number {
  if (!existsSync(file)) return 0;
  const parsed = LiveStateSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new DemoLiveError(
      `${file}: nextOrder must be a whole number ≥ 0 (${parsed.error.issues[0]?.message ?? 'invalid'}); ` +
        'it keeps live runs from reusing order ids: run `weft demo --reset` to start the demo data over',
    );
  }
  return parsed.data.nextOrder;
}

/** The live phase failed; the demo's data and log are kept. */
export class DemoLiveError extends CorrelatorError {
  override name = 'DemoLiveError' as const;
}
