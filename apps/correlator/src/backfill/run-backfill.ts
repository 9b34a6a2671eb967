import { stat } from 'node:fs/promises';
import { applyMigrations } from '@weft/storage';
import { openStoreForCli } from '../commands/migrate.js';
import { formatSummary, withEnrichmentMisses } from '../correlate/run-correlate.js';
import { dimensionTables, openEnrichment } from '../enrichment/index.js';
import { eventSourceIds, loadTemplateRef, parseTemplateRef } from '../correlate/template-ref.js';
import { claimBoundedEpoch } from '../correlate/writer-epoch.js';
import { createLogger } from '../logging.js';
import type { Logger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import { createStoreSink } from '../pipeline/index.js';
import { runBounded } from '../run/index.js';
import type { RunSummary } from '../run/index.js';
import { createKafkajsClient } from '../kafka/index.js';
import { sourceTopics } from '../live/source-topics.js';
import { openKafkaHistory, openNdjsonPaths } from '../sources/index.js';
import { createBackfillJob } from './backfill-job.js';
import type { EventTimeRange } from './backfill-job.js';
import { parseBackfillOptions } from './backfill-options.js';
import { backfillProgress } from './backfill-progress.js';

export interface BackfillDeps {
  flags: Record<string, unknown>;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the summary line goes (stdout). */
  out: (line: string) => void;
  now: () => number;
  /** Show a progress bar (stderr is a terminal). */
  tty: boolean;
  logger?: Logger;
  signal?: AbortSignal;
}

/** What a backfill did: the run summary, its epoch and the records outside `--from/--to`. */
export interface BackfillSummary extends RunSummary {
  templateVersion: number;
  epoch: number;
  outsideRange: number;
}

/** 1 MiB: inputs longer than this are dead letters, as in `weft correlate`. */
const MAX_RECORD_BYTES = 1_048_576;

/**
 * `weft backfill`: replays history — NDJSON files, or the source topics from
 * the offsets of `--from` to their end offsets at the start
 * (`openKafkaHistory`) — through the bounded engine job of
 * one template version into the store — records in `[--from, --to)` of event
 * time, session versions in an epoch claimed from the store (see
 * `createBackfillJob`), so the newest writer of a template wins: a backfill
 * supersedes what earlier live runs and backfills stored, and a later one
 * supersedes it.
 *
 * @example
 * await runBackfill({ flags: { template: 'in-app-purchase@2', input: ['history/'], db: 'sqlite:weft.db' }, env: process.env, out: console.log, now: Date.now, tty: false });
 */
export async function runBackfill(deps: BackfillDeps): Promise<BackfillSummary> {
  const options = parseBackfillOptions(deps.flags, deps.env);
  const ref = parseTemplateRef(options.template);
  const logger = deps.logger ?? createLogger({ level: options.logLevel });
  const store = await openStoreForCli(options.db);
  try {
    await applyMigrations(store);
    const template = await loadTemplateRef(ref, store);
    const metrics = createMetrics({ processMetrics: false });
    const enrichment = await openEnrichment({
      template,
      store,
      inputs: options.inputs,
      metrics,
      logger,
      now: deps.now,
    });
    // Before the epoch is claimed: a missing topic then wastes none.
    const history =
      options.kafka === null
        ? null
        : await openKafkaHistory({
            kafka: createKafkajsClient({
              brokers: options.kafka.brokers,
              clientId: 'weft-backfill',
              logger: logger.child({ component: 'kafkajs' }),
            }),
            topics: sourceTopics(eventSourceIds(template), options.kafka.topicPrefix),
            from: options.from,
            maxQueued: options.sink.maxQueued,
          });
    const epoch = await claimBoundedEpoch(store, template);
    const job = createBackfillJob(
      template,
      options,
      epoch,
      enrichment.active ? enrichment.enrich : undefined,
    );
    const tables = dimensionTables(template);
    const limits = { maxBytes: MAX_RECORD_BYTES, maxDepth: 64 };
    const progress = backfillProgress(
      history === null
        ? { total: await inputBytes(options.inputs, job.sources, tables), unit: 'bytes' }
        : { total: history.records, unit: 'records' },
      deps.tty,
    );
    let summary: RunSummary;
    try {
      summary = await runBounded({
        paths: options.inputs,
        ...(history === null ? {} : { history: history.inputs }),
        dimensionTables: tables,
        job: {
          ...job,
          finish(now) {
            const items = job.finish(now);
            progress.storing(items.length);
            return items;
          },
        },
        sink: progress.counting(createStoreSink(store)),
        sinkOptions: options.sink,
        limits,
        metrics,
        logger,
        now: deps.now,
        onRead: (input) => progress.read(input),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
    } finally {
      progress.stop(); // before the summary line, which would otherwise share the bar's line
    }
    const result = {
      ...withEnrichmentMisses(summary, enrichment, logger),
      templateVersion: template.version,
      epoch,
      outsideRange: job.outsideRange,
    };
    deps.out(formatBackfillSummary(result, options));
    return result;
  } finally {
    await store.close();
  }
}

/** The total size of the files the backfill reads (the progress bar's first phase). */
async function inputBytes(
  paths: readonly string[],
  sources: readonly string[],
  tables: readonly string[],
): Promise<number> {
  const options = { maxLineBytes: MAX_RECORD_BYTES };
  const { streams } = await openNdjsonPaths(paths, sources, options, tables);
  const sizes = await Promise.all(streams.map(async (stream) => (await stat(stream.path)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

function formatBackfillSummary(summary: BackfillSummary, range: EventTimeRange): string {
  const bound = (ms: number) =>
    Number.isFinite(ms) ? new Date(ms).toISOString() : ms < 0 ? '-∞' : '+∞';
  return [
    formatSummary(summary, 'backfilled'),
    `template version ${summary.templateVersion}`,
    `epoch ${summary.epoch}`,
    ...(summary.outsideRange > 0
      ? [`${summary.outsideRange} records outside [${bound(range.from)}, ${bound(range.to)})`]
      : []),
  ].join('; ');
}
