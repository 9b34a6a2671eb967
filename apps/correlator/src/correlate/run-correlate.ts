import type { Readable } from 'node:stream';
import { applyMigrations } from '@weft/storage';
import type { Store } from '@weft/storage';
import { UsageError } from '../errors.js';
import { openStoreForCli } from '../commands/migrate.js';
import type { Template } from '@weft/templates';
import { loadCorrelateConfig } from '../config.js';
import type { ConfigSources, CorrelateConfig } from '../config.js';
import { createHealthChecks, startOpsServer } from '../http/index.js';
import type { KafkaClient } from '../kafka/index.js';
import type { OpsServer } from '../http/index.js';
import { createLogger } from '../logging.js';
import type { Logger } from '../logging.js';
import { createMetrics } from '../metrics.js';
import { dimensionTables, openEnrichment } from '../enrichment/index.js';
import type { EnrichmentCache } from '../enrichment/index.js';
import { createStoreSink } from '../pipeline/index.js';
import { runBounded } from '../run/index.js';
import type { BoundedRunOptions, JobFactory, RunSummary } from '../run/index.js';
import { runLiveCorrelate } from './run-live-correlate.js';
import { eventSourceIds, loadTemplateRef, parseTemplateRef } from './template-ref.js';
import { claimBoundedEpoch, jobInEpoch } from './writer-epoch.js';

export interface CorrelateDeps extends ConfigSources {
  jobFactory: JobFactory;
  /** Where the one-line summary goes (stdout). */
  out: (line: string) => void;
  now: () => number;
  /** Overrides the pino logger (tests). */
  logger?: Logger;
  /** Live mode runs until this is aborted (SIGTERM). */
  signal?: AbortSignal;
  /** Standard input, read when `--stdin SOURCE` is given. */
  stdin?: Readable;
  /** Replaces the kafkajs client of live mode (`weft demo`'s in-process log, tests). */
  kafka?: KafkaClient;
}

/** What `weft correlate` did; a bounded run adds the epoch it claimed and wrote in. */
export interface CorrelateSummary extends RunSummary {
  epoch?: number;
}

/**
 * `weft correlate`: validates the configuration, opens and migrates the
 * store, loads the template, and runs the bounded input to its final
 * watermark, or (with `--kafka`) the live pipeline until `signal` aborts.
 * A bounded run stores its session versions in an epoch claimed from the
 * store (`claimBoundedEpoch`), as a backfill does: the newest writer wins.
 *
 * @example
 * await runCorrelate({ flags: { template: 't.json', input: 'data/', db: 'sqlite:weft.db' }, env: process.env, readFile, jobFactory: createEngineJob, out: console.log, now: Date.now });
 */
export async function runCorrelate(deps: CorrelateDeps): Promise<CorrelateSummary> {
  const config = loadCorrelateConfig(deps);
  const ref = parseTemplateRef(config.template);
  const logger = deps.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  const health = createHealthChecks();
  const store = await openStoreForCli(config.db);
  let server: OpsServer | undefined;
  try {
    await applyMigrations(store);
    const template = await loadTemplateRef(ref, store);
    if (config.http) {
      server = await startOpsServer({ ...config.http, registry: metrics.registry, health });
      logger.info({ url: server.url }, 'serving /healthz and /metrics');
    }
    const input = config.input;
    const summary: CorrelateSummary =
      input.kind === 'kafka'
        ? await runLiveCorrelate({
            config,
            input,
            template,
            followTemplate: ref.kind === 'stored' && ref.version === undefined ? ref.id : null,
            stored: ref.kind === 'stored',
            store,
            metrics,
            logger,
            health,
            now: deps.now,
            signal: deps.signal ?? new AbortController().signal,
            ...(deps.kafka === undefined ? {} : { kafka: deps.kafka }),
          })
        : await runBoundedCorrelate(config, input, template, deps.jobFactory, {
            store,
            sink: createStoreSink(store),
            metrics,
            logger,
            now: deps.now,
            health,
            ...(deps.signal ? { signal: deps.signal } : {}),
            ...(input.stdinSource === null ? {} : { stdin: stdinOf(input.stdinSource, deps) }),
          });
    deps.out(
      [
        formatSummary(summary),
        ...(summary.epoch === undefined ? [] : [`epoch ${summary.epoch}`]),
      ].join('; '),
    );
    return summary;
  } finally {
    await server?.close();
    await store.close();
  }
}

async function runBoundedCorrelate(
  config: CorrelateConfig,
  input: Extract<CorrelateConfig['input'], { kind: 'files' }>,
  template: Template,
  jobFactory: JobFactory,
  {
    store,
    ...parts
  }: Pick<
    BoundedRunOptions,
    'sink' | 'metrics' | 'logger' | 'now' | 'health' | 'signal' | 'stdin'
  > & { store: Store },
): Promise<CorrelateSummary> {
  const paths = input.dir === null ? [] : [input.dir];
  const enrichment = await openEnrichment({ template, store, inputs: paths, ...parts });
  const epoch = await claimBoundedEpoch(store, template);
  parts.logger.info(
    {
      template: template.id,
      version: template.version,
      epoch,
      sources: eventSourceIds(template),
      input: input.dir,
      stdin: input.stdinSource,
    },
    'bounded run started',
  );
  const summary = await runBounded({
    ...parts,
    job: jobInEpoch(jobFactory(template, enrichment.active ? enrichment.enrich : undefined), epoch),
    paths,
    dimensionTables: dimensionTables(template),
    sinkOptions: config.sink,
    limits: { maxBytes: config.decode.maxRecordBytes, maxDepth: config.decode.maxDepth },
  });
  return { ...withEnrichmentMisses(summary, enrichment, parts.logger), epoch };
}

/**
 * Adds the keys that found no dimension row to a bounded run's summary, and
 * warns about them: their sessions were stored with null enrichment fields.
 */
export function withEnrichmentMisses(
  summary: RunSummary,
  enrichment: EnrichmentCache,
  logger: Logger,
): RunSummary {
  const misses = enrichment.missingKeys();
  if (Object.keys(misses).length === 0) return summary;
  logger.warn(
    { missingKeys: misses },
    'enrichment keys without a dimension row: their sessions have null enrichment fields',
  );
  return { ...summary, enrichmentMisses: misses };
}

function stdinOf(source: string, deps: CorrelateDeps): { source: string; stream: Readable } {
  if (deps.stdin === undefined) throw new UsageError('--stdin: no standard input to read');
  return { source, stream: deps.stdin };
}

/** One line for people and CI logs. */
export function formatSummary(summary: RunSummary, verb = 'correlated'): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
  const inputs = Object.values(summary.inputs).reduce((a, b) => a + b, 0);
  const dead = Object.values(summary.deadLetters).reduce((a, b) => a + b, 0);
  return [
    `${verb} ${summary.templateId}: ${inputs} inputs (${list(summary.inputs) || 'none'})`,
    `${summary.sessions} sessions (${summary.sessionVersions} versions, ${summary.retractions} retracted)`,
    `${summary.orphans} orphans`,
    `${summary.late} late`,
    `${dead} dead letters${dead > 0 ? ` (${list(summary.deadLetters)})` : ''}`,
    ...(summary.missingSources.length > 0
      ? [`no input for ${summary.missingSources.join(', ')}`]
      : []),
    ...(summary.enrichmentMisses === undefined
      ? []
      : [
          `${Object.values(summary.enrichmentMisses).reduce((a, b) => a + b, 0)} enrichment keys without a row (${list(summary.enrichmentMisses)})`,
        ]),
  ].join('; ');
}
