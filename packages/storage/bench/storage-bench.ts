/**
 * Storage benchmark: bulk-loads N generated sessions (~20 fields, 2 nodes)
 * through the public upsert API, then measures lookup by order id, a
 * two-field conjunctive search and the 90-day hourly dashboard (3
 * dimensions, count + p95, from rollups).
 *
 *   npm run bench -w @weft/storage -- --backend sqlite --sessions 100000 [--json FILE]
 *   npm run bench -w @weft/storage -- --backend mysql --sessions 100000 [--db URL]
 *   … --checkpoints 1000000 --load-seconds 1800   (measure at 1M too; stop loading after 30 min)
 *
 * Without --sessions: 100,000, or 30,000 / 1,000,000 when the bench harness
 * sets WEFT_BENCH_SCALE=quick / full.
 *
 * SQLite uses a fresh temp file (kept with --keep). MySQL uses --db, else
 * WEFT_BENCH_MYSQL_URL, else mysql://weft:weft@127.0.0.1:3306/weft_bench; that
 * database is DROPPED and recreated unless --no-load measures what it holds
 * (after applying any pending migrations to it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { applyMigrations, openStore, parseStoreUrl } from '../src/index.js';
import type { LoadOrder } from './bench-data.js';
import type { LoadResult } from './bench-load.js';
import { loadSessions } from './bench-load.js';
import type { Measured } from './bench-measure.js';
import { measureQueries } from './bench-measure.js';
import { localServerPid } from './bench-stats.js';
import { metric, writeBenchResult } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    db: { type: 'string' },
    sessions: { type: 'string' },
    checkpoints: { type: 'string', default: '' },
    'load-seconds': { type: 'string' },
    writers: { type: 'string' },
    batch: { type: 'string', default: '1000' },
    lookups: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '5' },
    order: { type: 'string', default: 'time' },
    json: { type: 'string' },
    'no-load': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const scale = process.env.WEFT_BENCH_SCALE ?? '';
const SCALE_SESSIONS: Record<string, string> = { quick: '30000', full: '1000000' };
const END = Date.UTC(2026, 0, 1);
const DAYS = 90;

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer (got "${text}")`);
  return value;
}

function options() {
  const backend = values.backend;
  if (backend !== 'sqlite' && backend !== 'mysql')
    throw new Error(`--backend must be sqlite or mysql (got "${backend}")`);
  if (values.order !== 'time' && values.order !== 'random')
    throw new Error(`--order must be time or random (got "${values.order}")`);
  const total = positive('sessions', values.sessions ?? SCALE_SESSIONS[scale] ?? '100000');
  const checkpoints = values.checkpoints
    .split(',')
    .filter((c) => c !== '')
    .map((c) => positive('checkpoints', c))
    .filter((c) => c < total)
    .sort((a, b) => a - b);
  const loadSeconds =
    values['load-seconds'] === undefined
      ? undefined
      : positive('load-seconds', values['load-seconds']);
  return {
    backend,
    total,
    checkpoints,
    loadSeconds,
    writers: positive('writers', values.writers ?? (backend === 'mysql' ? '2' : '1')),
    batchSize: positive('batch', values.batch),
    perRound: positive('lookups', values.lookups),
    rounds: positive('rounds', values.rounds),
    order: values.order as LoadOrder,
  } as const;
}

async function prepareDatabase(backend: 'sqlite' | 'mysql', fresh: boolean) {
  if (backend === 'sqlite' && values.db === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'weft-bench-'));
    const url = `sqlite:${join(dir, 'bench.db')}`;
    return {
      url,
      cleanup: async () => {
        if (values.keep) console.error(`kept ${url}`);
        else await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const url =
    values.db ?? process.env.WEFT_BENCH_MYSQL_URL ?? 'mysql://weft:weft@127.0.0.1:3306/weft_bench';
  const location = parseStoreUrl(url);
  if (location.backend !== backend)
    throw new Error(`--db ${url} is not a ${backend} URL (see --backend)`);
  if (location.backend !== 'mysql') return { url, cleanup: async () => undefined };
  const { host, port, user, password } = location;
  const admin = await createConnection({ host, port, user, password });
  if (fresh) {
    await admin.query(`DROP DATABASE IF EXISTS \`${location.database}\``);
    await admin.query(
      `CREATE DATABASE \`${location.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  }
  const serverPid = await localServerPid(admin);
  const server = await serverSettings(admin);
  await admin.end();
  return { url, serverPid, server, cleanup: async () => undefined };
}

/**
 * The server settings the write rate depends on most, recorded with the
 * figures; `innodb_flush_log_at_trx_commit` other than 1 relaxes durability
 * (a crash may lose the last second of commits) and is called out.
 */
async function serverSettings(admin: Connection): Promise<Record<string, string | number>> {
  const [rows] = await admin.query(
    `SELECT VERSION() AS serverVersion, @@innodb_buffer_pool_size AS bufferPoolBytes,
       @@innodb_log_file_size AS redoLogBytes,
       @@innodb_flush_log_at_trx_commit AS flushLogAtTrxCommit`,
  );
  const settings = (rows as Record<string, string | number>[])[0] ?? {};
  if (Number(settings.flushLogAtTrxCommit) !== 1)
    console.error(
      `NOTE: innodb_flush_log_at_trx_commit = ${settings.flushLogAtTrxCommit}: durability relaxed, label these figures`,
    );
  return settings;
}

function loadMetrics(load: LoadResult): Metric[] {
  const metrics = [
    metric(
      'records_per_second',
      'records/s',
      load.segmentRates,
      {
        what: 'sessions upserted per wall second, per tenth of the load',
        overall: Math.round(load.overallRate),
        wallSeconds: Math.round(load.wallSeconds),
      },
      0,
    ),
    metric('records_per_client_cpu_second', 'records/cpu-s', [load.loaded / load.clientCpuSeconds]),
  ];
  if (load.serverCpuSeconds !== undefined && load.serverCpuSeconds > 0) {
    metrics.push(
      metric('records_per_server_cpu_second', 'records/cpu-s', [
        load.loaded / load.serverCpuSeconds,
      ]),
    );
  }
  return metrics;
}

/** Query metrics at `sessions` stored; names get `_at_<n>` for a checkpoint before the end. */
function queryMetrics(m: Measured, sessions: number, suffix: string): Metric[] {
  const at = { sessions };
  return [
    metric(`lookup_p50${suffix}`, 'ms', m.lookupP50, at, 2),
    metric(`lookup_p99${suffix}`, 'ms', m.lookupP99, at, 2),
    metric(`two_field_search_p50${suffix}`, 'ms', m.searchP50, { ...at, hits: m.searchHits }, 2),
    metric(`two_field_search_p99${suffix}`, 'ms', m.searchP99, at, 2),
    metric(
      `dashboard_90d_hourly_3dims${suffix}`,
      'ms',
      m.dashboardMs,
      { ...at, points: m.dashboardPoints },
      1,
    ),
  ];
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const opts = options();
  const load = !values['no-load'];
  const database = await prepareDatabase(opts.backend, load);
  const store = await openStore(database.url);
  const metrics: Metric[] = [];
  const deadline =
    opts.loadSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : Date.now() + opts.loadSeconds * 1000;
  let stored = opts.total;
  try {
    const migrated = await applyMigrations(store);
    if (migrated.applied.length > 0)
      console.error(`applied migrations ${migrated.applied.join(', ')}`);
    if (load) {
      await store.rollups.define('bench-order', {
        dimensions: ['channel', 'region', '$verdict'],
        measures: [{ field: 'amount', agg: 'p95' }],
      });
      console.error(
        `loading ${opts.total} sessions (${opts.order} order) into ${store.backend} with ${opts.writers} writers × batches of ${opts.batchSize}`,
      );
      const phases = [...opts.checkpoints, opts.total];
      const loads: LoadResult[] = [];
      stored = 0;
      for (const [i, to] of phases.entries()) {
        const loaded = await loadSessions({
          ...opts,
          url: database.url,
          serverPid: database.serverPid,
          from: stored,
          to,
          deadline,
          end: END,
          days: DAYS,
        });
        loads.push(loaded);
        stored += loaded.loaded;
        if (i === phases.length - 1 || stored < to) break;
        // A checkpoint: the queries at this size, then the load goes on.
        await store.analyze();
        const measured = await measureQueries(store, {
          ...opts,
          total: stored,
          end: END,
          days: DAYS,
        });
        metrics.push(...queryMetrics(measured, stored, `_at_${stored}`));
      }
      metrics.push(...loadMetrics(combine(loads)));
    }
    await store.analyze();
    const measured = await measureQueries(store, { ...opts, total: stored, end: END, days: DAYS });
    metrics.push(...queryMetrics(measured, stored, ''));
  } finally {
    await store.close();
    await database.cleanup();
  }
  const document = {
    benchmark: `storage.${opts.backend}`,
    command: `npm run bench -w @weft/storage -- ${process.argv.slice(2).join(' ')}`,
    startedAt,
    params: {
      backend: opts.backend,
      sessions: opts.total,
      stored,
      writers: opts.writers,
      batchSize: opts.batchSize,
      perRound: opts.perRound,
      rounds: opts.rounds,
      order: opts.order,
      days: DAYS,
      load,
      ...database.server,
    },
    metrics,
  };
  console.log(JSON.stringify(document, null, 2));
  if (values.json !== undefined) writeBenchResult(values.json, document);
}

/** The load phases as one: their tenths' rates, summed sessions, wall and CPU time. */
function combine(loads: readonly LoadResult[]): LoadResult {
  const sum = (pick: (l: LoadResult) => number) => loads.reduce((t, l) => t + pick(l), 0);
  const servers = loads.map((l) => l.serverCpuSeconds);
  const wallSeconds = sum((l) => l.wallSeconds);
  return {
    loaded: sum((l) => l.loaded),
    segmentRates: loads.flatMap((l) => l.segmentRates),
    overallRate: sum((l) => l.loaded) / wallSeconds,
    wallSeconds,
    clientCpuSeconds: sum((l) => l.clientCpuSeconds),
    serverCpuSeconds: servers.some((s) => s === undefined)
      ? undefined
      : sum((l) => l.serverCpuSeconds ?? 0),
  };
}

await main();
