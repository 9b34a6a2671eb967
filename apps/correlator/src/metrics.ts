import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The correlator's Prometheus metrics, on a registry of its own (never the
 * prom-client global), so that tests and embedded runs (`weft demo`) can hold
 * several. Label values are low-cardinality: source ids, template ids, fire
 * reasons, dead-letter reason codes — never record keys or messages.
 */
export interface CorrelatorMetrics {
  registry: Registry;
  /** Raw inputs read, by source (before decoding). */
  recordsIn: Counter<'source'>;
  /** Records written to storage inside a session version, by source. */
  recordsOut: Counter<'source'>;
  /** Kafka consumer lag in messages (end offset − committed offset). */
  consumerLag: Gauge<'topic' | 'partition'>;
  /** Processing time minus the watermark, seconds. */
  watermarkDelay: Gauge<'template'>;
  /** Sessions held in state, not yet final. */
  openSessions: Gauge<'template'>;
  /** Partitions paused by watermark alignment (too far ahead of the slowest backlogged one). */
  alignmentPaused: Gauge<'template'>;
  /** Session fires by reason (complete, timeout, final, late, merge, operator). */
  fires: Counter<'template' | 'reason'>;
  /** Records behind the watermark sent to the late side queue. */
  lateRecords: Counter<'template'>;
  /** Late records applied to the stored sessions, by outcome (applied, orphan, unchanged). */
  lateReprocessed: Counter<'template' | 'outcome'>;
  /** Late records consumed from the side queue and waiting for their horizon. */
  latePending: Gauge<'template'>;
  /** Supplements that found no session. */
  orphans: Counter<'template' | 'node'>;
  /** Unusable inputs, by source and reason code. */
  deadLetters: Counter<'source' | 'reason'>;
  /** Store write latency per batch, seconds. */
  storeLatency: Histogram<'operation'>;
  /** Failed store writes that are being retried. */
  storeRetries: Counter<'operation'>;
  /** Items waiting in the batching sink. */
  sinkQueued: Gauge;
  /** Enrichment lookups of evaluated sessions, by outcome (hit, miss: a key with no row). */
  enrichmentLookups: Counter<'template' | 'lookup' | 'outcome'>;
  /** Rows of the dimension table a lookup serves from memory. */
  enrichmentRows: Gauge<'template' | 'lookup'>;
  /** Loads of a lookup's dimension table (at start and each refresh), by outcome (ok, failed). */
  enrichmentLoads: Counter<'template' | 'lookup' | 'outcome'>;
}

export interface MetricsOptions {
  /** Also collect Node process metrics (CPU, memory, event loop lag, GC). Default true. */
  processMetrics?: boolean;
}

/**
 * Creates the registry and every metric the correlator reports.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.recordsIn.inc({ source: 'pay_done' });
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(options: MetricsOptions = {}): CorrelatorMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true)
    collectDefaultMetrics({ register: registry, prefix: 'weft_' });
  const registers = [registry];
  return {
    registry,
    recordsIn: new Counter({
      name: 'weft_records_in_total',
      help: 'Raw inputs read, by source, before decoding.',
      labelNames: ['source'],
      registers,
    }),
    recordsOut: new Counter({
      name: 'weft_records_out_total',
      help: 'Records written to storage as part of a session version, by source.',
      labelNames: ['source'],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'weft_consumer_lag_messages',
      help: 'Kafka consumer lag: partition end offset minus the committed offset.',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    watermarkDelay: new Gauge({
      name: 'weft_watermark_delay_seconds',
      help: 'Processing time minus the current event-time watermark.',
      labelNames: ['template'],
      registers,
    }),
    openSessions: new Gauge({
      name: 'weft_open_sessions',
      help: 'Sessions in correlator state: open session windows (fired or not) and closed sessions held for their joins.',
      labelNames: ['template'],
      registers,
    }),
    alignmentPaused: new Gauge({
      name: 'weft_watermark_alignment_paused_partitions',
      help: 'Source partitions paused because their watermark ran more than --max-watermark-drift ahead of the slowest partition with a backlog.',
      labelNames: ['template'],
      registers,
    }),
    fires: new Counter({
      name: 'weft_session_fires_total',
      help: 'Session versions emitted, by fire reason.',
      labelNames: ['template', 'reason'],
      registers,
    }),
    lateRecords: new Counter({
      name: 'weft_late_records_total',
      help: 'Records behind the watermark sent to the late side queue.',
      labelNames: ['template'],
      registers,
    }),
    lateReprocessed: new Counter({
      name: 'weft_late_reprocessed_total',
      help: 'Late records applied to the stored sessions, by outcome (applied, orphan, unchanged).',
      labelNames: ['template', 'outcome'],
      registers,
    }),
    latePending: new Gauge({
      name: 'weft_late_pending',
      help: 'Late records consumed from the side queue, waiting until the watermark passes their horizon.',
      labelNames: ['template'],
      registers,
    }),
    orphans: new Counter({
      name: 'weft_orphans_total',
      help: 'Supplementary records that found no session within their bounds.',
      labelNames: ['template', 'node'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'weft_dead_letters_total',
      help: 'Inputs that could not be used, by source and reason code.',
      labelNames: ['source', 'reason'],
      registers,
    }),
    storeLatency: new Histogram({
      name: 'weft_store_latency_seconds',
      help: 'Latency of one batched store write.',
      labelNames: ['operation'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    storeRetries: new Counter({
      name: 'weft_store_retries_total',
      help: 'Store writes that failed and are being retried with backoff.',
      labelNames: ['operation'],
      registers,
    }),
    sinkQueued: new Gauge({
      name: 'weft_sink_queued_items',
      help: 'Items waiting in the batching sink (sources pause above the bound).',
      registers,
    }),
    enrichmentLookups: new Counter({
      name: 'weft_enrichment_lookups_total',
      help: 'Enrichment lookups of evaluated session versions, by outcome (hit; miss: the key has no row).',
      labelNames: ['template', 'lookup', 'outcome'],
      registers,
    }),
    enrichmentRows: new Gauge({
      name: 'weft_enrichment_table_rows',
      help: 'Rows of the dimension table an enrichment lookup serves from memory.',
      labelNames: ['template', 'lookup'],
      registers,
    }),
    enrichmentLoads: new Counter({
      name: 'weft_enrichment_loads_total',
      help: 'Loads of an enrichment lookup dimension table (start and refreshes), by outcome (ok, failed).',
      labelNames: ['template', 'lookup', 'outcome'],
      registers,
    }),
  };
}
