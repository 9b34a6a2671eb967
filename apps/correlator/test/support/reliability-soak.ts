// Soak test of the live correlator (issue #10; not in CI: it runs for minutes):
// traffic at 2x the correlator's sustained rate for 10 minutes into a private
// Kafka broker, `weft correlate --kafka` (the built CLI) writing into a private
// MariaDB, with its memory, consumer lag, writer queue and CPU sampled from
// /metrics and /proc every 5 s. Over that rate the correlator must hold its
// memory flat through backpressure while the lag grows.
//
// The job's own state is bounded by (records read per second) × (how long the
// template keeps a session: gap + allowed lateness, or the widest supplement
// window): about 30 min of event time for the example template, so a
// 10-minute run of it could only show that state still filling. The soak
// therefore runs a copy of the example with every window scaled down to
// seconds (`soakTemplate`), whose state fills within its first minutes; the
// rest of the run shows whether anything else grows. `--template FILE` runs
// another template instead.
//
//   npx turbo run build --filter=@weft/correlator...
//   nice npm run test:soak -w @weft/correlator -- [--rate 11600] [--minutes 10] [--template FILE] [--json FILE]
//
// Needs root (private MariaDB and Kafka through scripts/services).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafkajsClient } from '../../src/kafka/index.js';
import { RECORDS_PER_ORDER, SOURCES, produceOrders } from '../../bench/traffic.js';
import type { Produced } from '../../bench/traffic.js';
import { cpuSecondsOf } from '../../bench/observe.js';
import {
  createDatabase,
  freePort,
  scratchDir,
  sleep,
  startCorrelator,
} from '../integration/live-harness.js';
import { inAppPurchaseTemplate } from './bounded-correlate.js';
import { opsProbe, privateKafka, privateMariadb } from './reliability-services.js';

/** The median backlog throughput in apps/correlator/README.md (records/s, Kafka → MariaDB). */
const SUSTAINED_RECORDS_PER_SECOND = 5_800;

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: String(2 * SUSTAINED_RECORDS_PER_SECOND) },
    minutes: { type: 'string', default: '10' },
    json: { type: 'string' },
    template: { type: 'string' },
    'mysql-port': { type: 'string', default: '33181' },
    'kafka-port': { type: 'string', default: '29292' },
  },
});
const rate = Number(values.rate);
const minutes = Number(values.minutes);
if (!(rate > 0) || !(minutes > 0)) {
  console.error(
    `--rate and --minutes take positive numbers, got ${values.rate} and ${values.minutes}`,
  );
  process.exit(2);
}

interface Sample {
  second: number;
  rssMiB: number;
  heapMiB: number;
  lag: number;
  queued: number;
  openSessions: number;
  /** Wall time minus the job's watermark: how far event time trails. */
  watermarkDelaySeconds: number;
  latePending: number;
  recordsIn: number;
  produced: number;
  cpuSeconds: number;
}

const mariadb = privateMariadb(Number(values['mysql-port']));
const kafka = privateKafka(Number(values['kafka-port']));
console.info(`[soak] starting private MariaDB ${mariadb.port} and Kafka ${kafka.port}`);
mariadb.start();
kafka.start();
const scratch = await scratchDir();
const database = await createDatabase(mariadb.address);
const prefix = `weft.soak.${Date.now()}.`;
const client = createKafkajsClient({ brokers: [kafka.address], clientId: 'weft-soak' });
const admin = client.admin();
await admin.connect();
await admin.createTopics(
  SOURCES.map((source) => ({ topic: `${prefix}${source}`, numPartitions: 3 })),
);

const httpPort = await freePort();
const template = values.template ?? (await soakTemplate(scratch.path));
const correlator = startCorrelator([
  '--template',
  template,
  '--kafka',
  kafka.address,
  '--db',
  database.url,
  '--topic-prefix',
  prefix,
  '--group',
  `${prefix}g`,
  '--checkpoint-dir',
  join(scratch.path, 'checkpoints'),
  '--http-port',
  String(httpPort),
  '--log-level',
  'warn',
]);
const ops = opsProbe(httpPort);
const producer = client.producer();
await producer.connect();
const produced: Produced = { records: 0, completedAt: new Map() };
const durationMs = minutes * 60_000;
const orders = Math.ceil((rate * durationMs) / 1_000 / RECORDS_PER_ORDER);
console.info(
  `[soak] producing ${orders} orders (${orders * RECORDS_PER_ORDER} records) at ${rate} records/s for ${minutes} min`,
);
const started = Date.now();
const deadline = new AbortController();
const producing = produceOrders({
  producer,
  prefix,
  runId: String(started % 100_000),
  orders,
  recordsPerSecond: rate,
  produced,
  signal: deadline.signal,
});

const samples: Sample[] = [];
let done = false;
void producing.finally(() => (done = true));
// The run ends at its deadline whether or not the producer kept up with its plan.
while (!done && Date.now() - started < durationMs) {
  await sleep(Math.min(5_000, Math.max(0, started + durationMs - Date.now())));
  produced.completedAt.clear(); // only the counter is needed: keep the producer's memory flat
  const metrics = await ops.metrics();
  if (metrics.size === 0 || correlator.child.pid === undefined) continue;
  const sample: Sample = {
    second: Math.round((Date.now() - started) / 1_000),
    rssMiB: Math.round((metrics.get('weft_process_resident_memory_bytes') ?? 0) / 1_048_576),
    heapMiB: Math.round((metrics.get('weft_nodejs_heap_size_used_bytes') ?? 0) / 1_048_576),
    lag: metrics.get('weft_consumer_lag_messages') ?? 0,
    queued: metrics.get('weft_sink_queued_items') ?? 0,
    openSessions: metrics.get('weft_open_sessions') ?? 0,
    watermarkDelaySeconds: Math.round(metrics.get('weft_watermark_delay_seconds') ?? 0),
    latePending: metrics.get('weft_late_pending') ?? 0,
    recordsIn: metrics.get('weft_records_in_total') ?? 0,
    produced: produced.records,
    cpuSeconds: cpuSecondsOf(correlator.child.pid),
  };
  samples.push(sample);
  console.info(`[soak] ${JSON.stringify(sample)}`);
}
deadline.abort();
await producing;
const wallSeconds = (Date.now() - started) / 1_000;
correlator.child.kill('SIGTERM');
const exit = await correlator.exited;

const half = Math.floor(samples.length / 2);
const peak = (list: readonly Sample[], key: 'rssMiB' | 'heapMiB') =>
  Math.max(0, ...list.map((s) => s[key]));
const last = samples.at(-1);
const summary = {
  rate,
  minutes,
  wallSeconds: Math.round(wallSeconds),
  produced: produced.records,
  producedPerSecond: Math.round(produced.records / wallSeconds),
  read: last?.recordsIn ?? 0,
  readPerSecond: Math.round((last?.recordsIn ?? 0) / wallSeconds),
  readPerCpuSecond: last ? Math.round(last.recordsIn / last.cpuSeconds) : 0,
  rssMiB: {
    firstHalfPeak: peak(samples.slice(0, half), 'rssMiB'),
    secondHalfPeak: peak(samples.slice(half), 'rssMiB'),
  },
  heapMiB: {
    firstHalfPeak: peak(samples.slice(0, half), 'heapMiB'),
    secondHalfPeak: peak(samples.slice(half), 'heapMiB'),
  },
  template,
  // The heap in use between two collections includes garbage (e.g. a checkpoint's
  // serialized state): each minute's lowest sample is closer to what stays live.
  heapFloorMiBByMinute: heapFloorByMinute(samples),
  maxQueued: Math.max(0, ...samples.map((s) => s.queued)),
  maxOpenSessions: Math.max(0, ...samples.map((s) => s.openSessions)),
  maxLatePending: Math.max(0, ...samples.map((s) => s.latePending)),
  lagAtEnd: last?.lag ?? 0,
  correlatorExit: exit,
  samples,
};
console.info(`[soak] summary ${JSON.stringify({ ...summary, samples: samples.length })}`);
if (values.json) await writeFile(values.json, `${JSON.stringify(summary, null, 2)}\n`);

await producer.disconnect();
await admin.deleteTopics(SOURCES.map((source) => `${prefix}${source}`));
await admin.disconnect();
await database.drop();
await scratch.dispose();
kafka.stop();
mariadb.stop();
if (exit !== 0) {
  console.error(
    `[soak] the correlator exited with ${String(exit)}:\n${correlator.stderr().slice(-3_000)}`,
  );
  process.exit(1);
}

/** Per minute of the run, its lowest heap sample (MiB). */
function heapFloorByMinute(list: readonly Sample[]): number[] {
  const floors: number[] = [];
  for (const sample of list) {
    const minute = Math.floor(sample.second / 60);
    floors[minute] = Math.min(floors[minute] ?? Number.POSITIVE_INFINITY, sample.heapMiB);
  }
  return floors.filter((floor) => Number.isFinite(floor));
}

/**
 * The example template with its event-time windows scaled from minutes to
 * seconds (gap 20 s, allowed lateness 5 s, max span 2 min, supplement windows
 * up to 30 s), so a session leaves the job's state about 35 s of event time
 * after its last record instead of about 30 min; sources, joins and
 * conclusions are unchanged.
 */
async function soakTemplate(dir: string): Promise<string> {
  const template = JSON.parse(await readFile(inAppPurchaseTemplate, 'utf8')) as {
    sources: { watermark?: { outOfOrderness: string } }[];
    baseline: { gap: string; maxSpan: string; allowedLateness: string };
    supplements: { lower: string; upper: string }[];
  };
  // A session's state is held until the watermark passes its last record by
  // gap + allowedLateness + the widest supplement upper bound (its joins),
  // and, with entity profiles, by gap + maxSpan + allowedLateness (when its
  // profile steps are settled), plus the out-of-orderness: 17 s here (it was
  // 155 s with 20 s/2 min/5 s/30 s/10 s, so a 10-minute run at 2x the
  // sustained rate, which reads about 0.13 s of event time per second,
  // ended with the state still filling). The traffic sends an order's
  // records back to back, so no session is split by these short windows, and
  // the state fills in about two minutes.
  for (const source of template.sources) {
    if (source.watermark) source.watermark.outOfOrderness = '2s';
  }
  Object.assign(template.baseline, { gap: '4s', maxSpan: '10s', allowedLateness: '1s' });
  for (const supplement of template.supplements) {
    Object.assign(supplement, { lower: '-2s', upper: '6s' });
  }
  const path = join(dir, 'soak-template.json');
  await writeFile(path, JSON.stringify(template));
  return path;
}
