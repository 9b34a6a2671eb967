// What the store does for a correlator's output, without Kafka: the session
// versions the live job emits for synthetic in-app-purchase orders (coalesced,
// watermark 10 s behind, as `weft correlate` runs it) are written into a fresh
// MariaDB database in batches, one batch in flight, as the correlator's writer
// does. Reports versions/s, the server's CPU per version (from /proc, when its pid file is local)
// and the rows the server wrote, updated and deleted per version (server-wide
// counters: run it on an otherwise idle server).
//   npm run bench:store -w @weft/correlator -- [--orders 20000] [--runs 3] [--batch 500] [--json FILE]
// Needs WEFT_TEST_MYSQL_URL (eval "$(bash scripts/services/all.sh env)").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { CorrelationJob } from '@weft/engine';
import type { JobEvent } from '@weft/engine';
import { openStore, parseStoreUrl } from '@weft/storage';
import type { SessionChange } from '@weft/storage';
import { compileTemplate, loadTemplate } from '@weft/templates';
import { createDatabase } from '../test/integration/live-harness.js';
import { metric, writeBenchResult } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';
import { localServerPid } from '../../../packages/storage/bench/bench-stats.js';
import { cpuSecondsOf } from './observe.js';
import { RECORDS_PER_ORDER, rawRecord } from './traffic.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '500' },
    json: { type: 'string' },
  },
});
const orders = Number(values.orders);
const runs = Number(values.runs);
const batchSize = Number(values.batch);
for (const [flag, n] of [
  ['--orders', orders],
  ['--runs', runs],
  ['--batch', batchSize],
] as const) {
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${flag} takes a positive integer, got ${String(n)}`);
    process.exit(2);
  }
}
const mysql = process.env.WEFT_TEST_MYSQL_URL;
if (!mysql) {
  console.error('Set WEFT_TEST_MYSQL_URL: eval "$(bash scripts/services/all.sh env)".');
  process.exit(2);
}

/** An order every 10 ms, its steps a second apart (the completing `pay_done` at +3 s). */
const ORDER_SPACING_MS = 10;
const STEP_MS = 1_000;
const OUT_OF_ORDERNESS_MS = 10_000;
const ADVANCE_EVERY = 500;

function versionStream(): SessionChange[] {
  const template = loadTemplate(
    JSON.parse(
      readFileSync(
        join(import.meta.dirname, '../../../packages/templates/examples/in-app-purchase.json'),
        'utf8',
      ),
    ),
  );
  const changes: SessionChange[] = [];
  const job = new CorrelationJob(compileTemplate(template), {
    coalesce: true,
    emit: (event: JobEvent) => {
      if (event.type === 'session') changes.push(event.session);
      else if (event.type === 'retraction') changes.push(event.retraction);
    },
  });
  const t0 = Date.UTC(2026, 10, 24);
  const lines: { at: number; source: string; raw: string }[] = [];
  for (let n = 0; n < orders; n++) {
    const id = `O${String(n).padStart(9, '0')}`;
    for (let step = 0; step < RECORDS_PER_ORDER; step++) {
      const at = t0 + n * ORDER_SPACING_MS + step * STEP_MS;
      const { source, value } = rawRecord(step, id, at);
      lines.push({ at, source, raw: value });
    }
  }
  lines.sort((a, b) => a.at - b.at);
  lines.forEach((line, i) => {
    job.ingest({ source: line.source, raw: line.raw });
    if (i % ADVANCE_EVERY === ADVANCE_EVERY - 1) {
      job.advanceWatermark(line.at - OUT_OF_ORDERNESS_MS - 1);
      job.advanceProcessingTime(line.at);
    }
  });
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  return changes;
}

/** Rows written, updated and deleted by the server's storage engines (MariaDB has no Innodb_rows_* counters). */
const ROW_COUNTERS = ['Handler_write', 'Handler_update', 'Handler_delete'];

/** A connection to the server (not a database) for its status counters and pid file. */
async function connectToServer(): Promise<Connection> {
  const location = parseStoreUrl(mysql!);
  if (location.backend !== 'mysql') throw new Error('WEFT_TEST_MYSQL_URL is not a mysql:// URL');
  return createConnection({
    host: location.host,
    port: location.port,
    user: location.user,
    password: location.password,
  });
}

async function rowCounters(server: Connection): Promise<Map<string, number>> {
  const [rows] = await server.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${ROW_COUNTERS.map(() => '?').join(', ')})`,
    ROW_COUNTERS,
  );
  return new Map(
    (rows as { Variable_name: string; Value: string }[]).map((r) => [
      r.Variable_name,
      Number(r.Value),
    ]),
  );
}

interface Run {
  readonly seconds: number;
  readonly serverCpu: number | null;
  readonly clientCpu: number;
  readonly rows: Record<string, number>;
}

/** `pid`: the local server's, whose CPU the run counts (undefined when the server is elsewhere). */
async function runOnce(
  changes: readonly SessionChange[],
  server: Connection,
  pid: number | undefined,
): Promise<Run> {
  const database = await createDatabase(mysql!);
  const store = await openStore(database.url);
  try {
    const before = await rowCounters(server);
    const serverBefore = pid === undefined ? 0 : cpuSecondsOf(pid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < changes.length; i += batchSize)
      await store.sessions.upsert(changes.slice(i, i + batchSize));
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    const serverCpu = pid === undefined ? null : cpuSecondsOf(pid) - serverBefore;
    const after = await rowCounters(server);
    const rows = Object.fromEntries(
      ROW_COUNTERS.map((c) => [c, (after.get(c) ?? 0) - (before.get(c) ?? 0)]),
    );
    return { seconds, serverCpu, clientCpu: (client.user + client.system) / 1e6, rows };
  } finally {
    await store.close();
    await database.drop();
  }
}

const startedAt = new Date().toISOString();
const changes = versionStream();
const sessions = new Set(changes.map((c) => c.sessionId)).size;
console.log(
  `${orders.toLocaleString('en-US')} orders → ${changes.length.toLocaleString('en-US')} versions of ${sessions.toLocaleString('en-US')} sessions`,
);
const server = await connectToServer();
const pid = await localServerPid(server);
const done: Run[] = [];
for (let r = 0; r < runs; r++) {
  const run = await runOnce(changes, server, pid);
  done.push(run);
  const perVersion = (n: number) => (n / changes.length).toFixed(2);
  console.log(
    `run ${r + 1}: ${Math.round(changes.length / run.seconds)} versions/s, ` +
      (run.serverCpu === null
        ? 'server CPU not measured, '
        : `${Math.round(changes.length / run.serverCpu)} per server CPU-s, `) +
      `${Math.round(changes.length / run.clientCpu)} per client CPU-s; rows per version: ` +
      `${perVersion(run.rows.Handler_write!)} written, ${perVersion(run.rows.Handler_update!)} updated, ` +
      `${perVersion(run.rows.Handler_delete!)} deleted`,
  );
}
await server.end();

const params = { orders, versions: changes.length, sessions, batch: batchSize };
const metrics: Metric[] = [
  metric(
    'versions_per_second',
    'versions/s',
    done.map((r) => changes.length / r.seconds),
    params,
  ),
  metric(
    'versions_per_client_cpu_second',
    'versions/CPU-s',
    done.map((r) => changes.length / r.clientCpu),
    params,
  ),
  ...(done.every((r) => r.serverCpu !== null)
    ? [
        metric(
          'versions_per_server_cpu_second',
          'versions/CPU-s',
          done.map((r) => changes.length / r.serverCpu!),
          params,
        ),
      ]
    : []),
  ...ROW_COUNTERS.map((c) =>
    metric(
      `${c.toLowerCase()}_per_version`,
      'rows',
      done.map((r) => r.rows[c]! / changes.length),
      params,
      2,
    ),
  ),
];
if (values.json !== undefined) {
  writeBenchResult(values.json, {
    benchmark: 'correlator.store-writes',
    startedAt,
    command: `npm run bench:store -w @weft/correlator -- --orders ${orders} --runs ${runs} --batch ${batchSize}`,
    params,
    metrics,
  });
}
