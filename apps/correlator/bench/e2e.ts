// End-to-end benchmark of the live correlator: Kafka → `weft correlate --kafka` (the built CLI,
// a child process) → MariaDB. Run: npm run bench -w @weft/correlator [-- --json FILE]
//   [--runs 3] [--rates 1000,10000] [--seconds 20] [--orders 10000]
// Needs WEFT_TEST_KAFKA_BROKERS and WEFT_TEST_MYSQL_URL (eval "$(bash scripts/services/all.sh env)").
// WEFT_BENCH_SCALE=quick (the harness's quick mode): 1 run, 10 s per rate, a 3,000-order backlog.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafkajsClient } from '../src/kafka/index.js';
import {
  createDatabase,
  scratchDir,
  sleep,
  startCorrelator,
} from '../test/integration/live-harness.js';
import { metric, percentile, writeBenchResult } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';
import { cpuSecondsOf, watchSessions } from './observe.js';
import { RECORDS_PER_ORDER, SOURCES, produceOrders } from './traffic.js';
import type { Produced } from './traffic.js';

const quick = process.env.WEFT_BENCH_SCALE === 'quick';
const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    runs: { type: 'string', default: quick ? '1' : '3' },
    rates: { type: 'string', default: '1000,10000,max' },
    seconds: { type: 'string', default: quick ? '10' : '20' },
    orders: { type: 'string', default: quick ? '3000' : '10000' },
  },
});
const runs = Number(values.runs);
/** `max`: paced at MAX_FRACTION of the backlog's median records/s, the highest load it sustains. */
const rateSpecs = values.rates.split(',').map((r) => r.trim());
const MAX_FRACTION = 0.8;
const seconds = Number(values.seconds);
const backlogOrders = Number(values.orders);
const fixedRates = rateSpecs.filter((r) => r !== 'max').map(Number);
for (const n of [runs, seconds, backlogOrders, ...fixedRates]) {
  if (!Number.isInteger(n) || n < 1) {
    console.error(
      `--runs, --seconds and --orders take positive integers, --rates positive integers or max; got ${String(n)}`,
    );
    process.exit(2);
  }
}
const brokers = process.env.WEFT_TEST_KAFKA_BROKERS;
const mysql = process.env.WEFT_TEST_MYSQL_URL;
if (!brokers || !mysql) {
  console.error(
    'Set WEFT_TEST_KAFKA_BROKERS and WEFT_TEST_MYSQL_URL: eval "$(bash scripts/services/all.sh env)".',
  );
  process.exit(2);
}
const kafka = createKafkajsClient({ brokers: brokers.split(','), clientId: 'weft-bench' });

interface Run {
  records: number;
  wallSeconds: number;
  cpuSeconds: number;
  latencies: number[];
  missing: number;
}

/** One correlator on fresh topics, group, database and checkpoint directory; `drive` produces and returns when done. */
async function withCorrelator(
  drive: (ctx: { prefix: string; db: string; started: () => Promise<number> }) => Promise<Run>,
): Promise<Run> {
  const prefix = `weft.bench.${randomBytes(5).toString('hex')}.`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics(SOURCES.map((s) => ({ topic: `${prefix}${s}`, numPartitions: 3 })));
  await admin.disconnect();
  const database = await createDatabase(mysql!);
  const scratch = await scratchDir();
  try {
    return await drive({
      prefix,
      db: database.url,
      started: async () => {
        const correlator = startCorrelator([
          '--template',
          join(import.meta.dirname, '../../../packages/templates/examples/in-app-purchase.json'),
          '--kafka',
          brokers!,
          '--db',
          database.url,
          '--topic-prefix',
          prefix,
          '--group',
          `${prefix}g`,
          '--checkpoint-dir',
          join(scratch.path, 'checkpoints'),
          '--log-level',
          'info',
        ]);
        running.push(correlator);
        while (!correlator.stderr().includes('partitions assigned')) {
          if (correlator.child.exitCode !== null)
            throw new Error(`correlator exited: ${correlator.stderr().slice(-2_000)}`);
          await sleep(20);
        }
        return correlator.child.pid!;
      },
    });
  } finally {
    for (const correlator of running.splice(0)) {
      correlator.child.kill('SIGTERM');
      await correlator.exited;
    }
    await database.drop();
    await scratch.dispose();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteTopics(SOURCES.map((s) => `${prefix}${s}`));
    await cleanup.disconnect();
  }
}
const running: ReturnType<typeof startCorrelator>[] = [];

async function waitSeen(
  seen: ReadonlyMap<string, number>,
  expected: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (seen.size < expected && Date.now() < deadline) await sleep(50);
}

function latenciesOf(
  produced: Produced,
  seen: ReadonlyMap<string, number>,
): { latencies: number[]; missing: number } {
  const latencies: number[] = [];
  for (const [key, at] of produced.completedAt) {
    const seenAt = seen.get(key);
    if (seenAt !== undefined) latencies.push(seenAt - at);
  }
  return {
    latencies: latencies.sort((a, b) => a - b),
    missing: produced.completedAt.size - latencies.length,
  };
}

/** Traffic at `rate` records/s for `seconds` into a running correlator: latency from produce to queryable. */
function rateRun(rate: number): Promise<Run> {
  return withCorrelator(async ({ prefix, db, started }) => {
    const pid = await started();
    const producer = kafka.producer();
    await producer.connect();
    const produced: Produced = { records: 0, completedAt: new Map() };
    const watch = await watchSessions(db, produced.completedAt);
    const cpu0 = cpuSecondsOf(pid);
    const t0 = Date.now();
    const orders = Math.round((rate * seconds) / RECORDS_PER_ORDER);
    await produceOrders({
      producer,
      prefix,
      runId: randomBytes(3).toString('hex'),
      orders,
      recordsPerSecond: rate,
      produced,
    });
    await waitSeen(watch.seen, produced.completedAt.size, 120_000);
    const wallSeconds = (Math.max(...watch.seen.values()) - t0) / 1_000;
    const cpuSeconds = cpuSecondsOf(pid) - cpu0;
    await watch.stop();
    await producer.disconnect();
    return {
      records: produced.records,
      wallSeconds,
      cpuSeconds,
      ...latenciesOf(produced, watch.seen),
    };
  });
}

/** A backlog of `backlogOrders` orders produced first, then consumed from the start: sustained throughput. */
function backlogRun(): Promise<Run> {
  return withCorrelator(async ({ prefix, db, started }) => {
    const producer = kafka.producer();
    await producer.connect();
    const produced: Produced = { records: 0, completedAt: new Map() };
    await produceOrders({
      producer,
      prefix,
      runId: randomBytes(3).toString('hex'),
      orders: backlogOrders,
      recordsPerSecond: null,
      produced,
    });
    await producer.disconnect();
    const pid = await started();
    const cpu0 = cpuSecondsOf(pid);
    const t0 = Date.now();
    const watch = await watchSessions(db, produced.completedAt, 200);
    await waitSeen(watch.seen, produced.completedAt.size, 600_000);
    const wallSeconds = (Date.now() - t0) / 1_000;
    const cpuSeconds = cpuSecondsOf(pid) - cpu0;
    await watch.stop();
    return {
      records: produced.records,
      wallSeconds,
      cpuSeconds,
      latencies: [],
      missing: produced.completedAt.size - watch.seen.size,
    };
  });
}

const startedAt = new Date().toISOString();
const metrics: Metric[] = [];
const backlog: Run[] = [];
for (let i = 0; i < runs; i += 1) {
  const run = await backlogRun();
  backlog.push(run);
  console.log(
    `backlog ${run.records} records: ${Math.round(run.records / run.wallSeconds)} records/s wall, ${Math.round(run.records / run.cpuSeconds)} records/CPU-s of the correlator, ${run.missing} sessions missing`,
  );
}
const backlogParams = { mode: 'backlog', records: backlog[0]!.records };
const backlogRate = metric(
  'records_per_second',
  'records/s',
  backlog.map((r) => r.records / r.wallSeconds),
  backlogParams,
);
metrics.push(backlogRate);
metrics.push(
  metric(
    'records_per_cpu_second',
    'records/CPU-s',
    backlog.map((r) => r.records / r.cpuSeconds),
    backlogParams,
  ),
);
const rates = rateSpecs.map((spec) =>
  spec === 'max'
    ? {
        rate: Math.max(100, Math.floor((backlogRate.median * MAX_FRACTION) / 100) * 100),
        max: true,
      }
    : { rate: Number(spec), max: false },
);
for (const { rate, max } of rates) {
  const results: Run[] = [];
  for (let i = 0; i < runs; i += 1) {
    const run = await rateRun(rate);
    results.push(run);
    console.log(
      `rate ${rate}/s: ${run.records} records, p50 ${percentile(run.latencies, 0.5)} ms, p99 ${percentile(run.latencies, 0.99)} ms, ${Math.round(run.records / run.cpuSeconds)} records/CPU-s, ${run.missing} sessions missing`,
    );
  }
  const params = {
    mode: 'paced',
    rate,
    seconds,
    ...(max ? { of: `max: ${String(MAX_FRACTION * 100)} % of the backlog rate` } : {}),
  };
  metrics.push(
    metric(
      'latency_p50',
      'ms',
      results.map((r) => percentile(r.latencies, 0.5)),
      params,
    ),
  );
  metrics.push(
    metric(
      'latency_p99',
      'ms',
      results.map((r) => percentile(r.latencies, 0.99)),
      params,
    ),
  );
  metrics.push(
    metric(
      'records_per_second',
      'records/s',
      results.map((r) => r.records / r.wallSeconds),
      params,
    ),
  );
  metrics.push(
    metric(
      'records_per_cpu_second',
      'records/CPU-s',
      results.map((r) => r.records / r.cpuSeconds),
      params,
    ),
  );
  metrics.push(
    metric(
      'sessions_missing',
      'sessions',
      results.map((r) => r.missing),
      params,
    ),
  );
}
if (values.json) {
  writeBenchResult(values.json, {
    benchmark: 'correlator.e2e',
    command: `npm run bench -w @weft/correlator -- --runs ${runs} --rates ${rateSpecs.join(',')} --seconds ${seconds} --orders ${backlogOrders}`,
    startedAt,
    params: {
      runs,
      rates: rates.map((r) => r.rate).join(','),
      seconds,
      backlogOrders,
      store: 'mariadb',
      partitionsPerTopic: 3,
    },
    metrics,
  });
}
