/**
 * Storage benchmark: loads N sessions (~20 fields each) and measures lookup
 * by business key, two-field search, a 90-day hourly dashboard (3 dimensions,
 * count + p95) and the sustained upsert rate.
 *
 *   npm run bench -w @weft/storage -- --sessions 100000 [--db URL] [--writers 4] [--batch 1000]
 *
 * Without --db it uses a fresh SQLite file under the OS temp dir. With a
 * mysql:// URL the database is dropped and recreated first: point it at a
 * database meant for benchmarks (e.g. weft_bench).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { applyMigrations, openStore, parseStoreUrl } from '../src/index.js';
import type { Store } from '../src/index.js';
import { benchSession, CHANNELS, DAY, MERCHANTS, random } from './bench-data.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    sessions: { type: 'string', default: '100000' },
    writers: { type: 'string', default: '4' },
    batch: { type: 'string', default: '1000' },
    lookups: { type: 'string', default: '1000' },
  },
});
const total = Number(values.sessions);
const writers = Number(values.writers);
const batchSize = Number(values.batch);
const END = Date.UTC(2026, 0, 1);
const DAYS = 90;

function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function timed<T>(samples: number[], work: () => Promise<T>): Promise<T> {
  const began = performance.now();
  const result = await work();
  samples.push(performance.now() - began);
  return result;
}

async function prepareDatabase(): Promise<{ url: string; cleanup(): Promise<void> }> {
  if (values.db === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'weft-bench-'));
    return {
      url: `sqlite:${join(dir, 'bench.db')}`,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const location = parseStoreUrl(values.db);
  if (location.backend === 'mysql') {
    const { host, port, user, password } = location;
    const admin = await createConnection({ host, port, user, password });
    await admin.query(`DROP DATABASE IF EXISTS \`${location.database}\``);
    await admin.query(
      `CREATE DATABASE \`${location.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
    await admin.end();
  }
  return { url: values.db, cleanup: async () => undefined };
}

async function load(url: string): Promise<number> {
  let next = 0;
  const began = performance.now();
  let reported = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      const store = await openStore(url, { poolSize: 2 });
      try {
        while (next < total) {
          const from = next;
          next = Math.min(total, next + batchSize);
          const batch = [];
          for (let i = from; i < next; i += 1) batch.push(benchSession(i, END, DAYS));
          await store.sessions.upsert(batch);
          if (next - reported >= total / 10) {
            reported = next;
            const rate = next / ((performance.now() - began) / 1000);
            console.error(`  loaded ${next}/${total} (${Math.round(rate)} sessions/s)`);
          }
        }
      } finally {
        await store.close();
      }
    }),
  );
  return total / ((performance.now() - began) / 1000);
}

async function measure(store: Store) {
  const rnd = random(7);
  const lookups: number[] = [];
  for (let i = 0; i < Number(values.lookups); i += 1) {
    const key = `ORD${String(Math.floor(rnd() * total)).padStart(10, '0')}`;
    const found = await timed(lookups, () =>
      store.sessions.byBusinessKey(key, { templateId: 'bench-order' }),
    );
    if (found.length !== 1) throw new Error(`lookup of ${key} found ${found.length} sessions`);
  }
  const searches: number[] = [];
  let hits = 0;
  for (let i = 0; i < Number(values.lookups); i += 1) {
    const page = await timed(searches, () =>
      store.sessions.search({
        templateId: 'bench-order',
        where: [
          { field: 'merchant', op: '=', value: `M${Math.floor(rnd() * MERCHANTS)}` },
          { field: 'riskScore', op: '>=', value: 90 },
        ],
        limit: 50,
      }),
    );
    hits += page.sessions.length;
  }
  const dashboards: number[] = [];
  let points = 0;
  for (let i = 0; i < 5; i += 1) {
    const answer = await timed(dashboards, () =>
      store.rollups.query({
        templateId: 'bench-order',
        grain: 'hour',
        from: END - DAYS * DAY,
        to: END,
        dimensions: ['channel', 'region', '$verdict'],
        measures: [{ field: 'amount', agg: 'p95' }],
      }),
    );
    if (answer.source !== 'rollup') throw new Error('the dashboard was not served from rollups');
    points = answer.points.length;
  }
  return { lookups, searches, hits, dashboards, points };
}

async function main(): Promise<void> {
  const database = await prepareDatabase();
  const store = await openStore(database.url);
  try {
    await applyMigrations(store);
    await store.rollups.define('bench-order', {
      dimensions: ['channel', 'region', '$verdict'],
      measures: [{ field: 'amount', agg: 'p95' }],
    });
    console.error(
      `loading ${total} sessions into ${store.backend} with ${writers} writers × batches of ${batchSize}`,
    );
    const upsertRate = await load(database.url);
    await store.analyze();
    const m = await measure(store);
    const ms = (x: number) => Math.round(x * 100) / 100;
    const report = {
      backend: store.backend,
      sessions: total,
      channels: CHANNELS.length,
      upsertRatePerSecond: Math.round(upsertRate),
      lookupByBusinessKeyMs: {
        p50: ms(percentile(m.lookups, 0.5)),
        p99: ms(percentile(m.lookups, 0.99)),
      },
      twoFieldSearchMs: {
        p50: ms(percentile(m.searches, 0.5)),
        p99: ms(percentile(m.searches, 0.99)),
        hits: m.hits,
      },
      dashboard90dHourly3DimsMs: {
        p50: ms(percentile(m.dashboards, 0.5)),
        max: ms(Math.max(...m.dashboards)),
        points: m.points,
      },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await store.close();
    await database.cleanup();
  }
}

await main();
