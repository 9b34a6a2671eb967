/**
 * Storage benchmark: bulk-loads N generated sessions (~20 fields, 2 nodes)
 * through the public upsert API, then measures lookup by order id, a
 * two-field conjunctive search and the 90-day hourly dashboard (3
 * dimensions, count + p95, from rollups).
 *
 *   npm run bench -w @weft/storage -- --backend sqlite --sessions 100000 [--json FILE]
 *   npm run bench -w @weft/storage -- --backend mysql --sessions 100000 [--db URL]
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
import { applyMigrations, openStore, parseStoreUrl } from '../src/index.js';
import type { LoadOrder } from './bench-data.js';
import type { LoadResult } from './bench-load.js';
import { loadSessions } from './bench-load.js';
import type { Measured } from './bench-measure.js';
import { measureQueries } from './bench-measure.js';
import type { BenchMetric } from './bench-stats.js';
import { metric, writeBenchJson } from './bench-stats.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    db: { type: 'string' },
    sessions: { type: 'string', default: '100000' },
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
  return {
    backend,
    total: positive('sessions', values.sessions),
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
  if (location.backend === 'mysql' && fresh) {
    const { host, port, user, password } = location;
    const admin = await createConnection({ host, port, user, password });
    await admin.query(`DROP DATABASE IF EXISTS \`${location.database}\``);
    await admin.query(
      `CREATE DATABASE \`${location.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
    await admin.end();
  }
  return { url, cleanup: async () => undefined };
}

function loadMetrics(load: LoadResult): BenchMetric[] {
  const metrics = [
    metric('records_per_second', 'records/s', load.segmentRates, {
      what: 'sessions upserted per wall second, per tenth of the load',
      overall: Math.round(load.overallRate),
      wallSeconds: Math.round(load.wallSeconds),
    }),
    metric('records_per_client_cpu_second', 'records/cpu-s', [
      load.overallRate * (load.wallSeconds / load.clientCpuSeconds),
    ]),
  ];
  if (load.serverCpuSeconds !== undefined && load.serverCpuSeconds > 0) {
    metrics.push(
      metric('records_per_server_cpu_second', 'records/cpu-s', [
        load.overallRate * (load.wallSeconds / load.serverCpuSeconds),
      ]),
    );
  }
  return metrics;
}

function queryMetrics(m: Measured): BenchMetric[] {
  return [
    metric('lookup_p50', 'ms', m.lookupP50),
    metric('lookup_p99', 'ms', m.lookupP99),
    metric('two_field_search_p50', 'ms', m.searchP50, { hits: m.searchHits }),
    metric('two_field_search_p99', 'ms', m.searchP99),
    metric('dashboard_90d_hourly_3dims', 'ms', m.dashboardMs, { points: m.dashboardPoints }),
  ];
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const opts = options();
  const load = !values['no-load'];
  const database = await prepareDatabase(opts.backend, load);
  const store = await openStore(database.url);
  const metrics: BenchMetric[] = [];
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
      const loaded = await loadSessions({ url: database.url, end: END, days: DAYS, ...opts });
      metrics.push(...loadMetrics(loaded));
    }
    await store.analyze();
    const measured = await measureQueries(store, { end: END, days: DAYS, ...opts });
    metrics.push(...queryMetrics(measured));
  } finally {
    await store.close();
    await database.cleanup();
  }
  const document = {
    benchmark: `storage.${opts.backend}`,
    command: `npm run bench -w @weft/storage -- ${process.argv.slice(2).join(' ')}`,
    startedAt,
    params: { ...opts, days: DAYS, load },
    metrics,
  };
  console.log(JSON.stringify(document, null, 2));
  if (values.json !== undefined) writeBenchJson(values.json, document);
}

await main();
