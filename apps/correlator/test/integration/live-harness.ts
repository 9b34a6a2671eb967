import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTruthLines } from '@weft/simulator';
import type { TruthSession } from '@weft/simulator';
import { applyMigrations, openStore, parseStoreUrl } from '@weft/storage';
import type { Session } from '@weft/templates';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll } from 'vitest';
import { createKafkajsClient } from '../../src/kafka/index.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(appDir, 'bin', 'weft.js');
const exampleTemplate = fileURLToPath(
  new URL('../../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
);

/**
 * The built CLI (`dist/`), as CI has it (`turbo run test` builds first).
 * A checkout without a build fails here with the command that builds it.
 */
export function requireBuiltCli(): string {
  if (!existsSync(join(appDir, 'dist', 'cli.js'))) {
    throw new Error(
      'apps/correlator/dist is missing: run `npx turbo run build --filter=@weft/correlator...` first.',
    );
  }
  return bin;
}

/** Runs the built `weft` to completion (simulate, export). */
export function weft(args: readonly string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync('node', [requireBuiltCli(), ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The example in-app-purchase template, tuned for a test that compares
 * stored results across runs:
 * - out-of-orderness 90 s by default: the simulator's delivery delays reach
 *   60 s, so only the late-data fault's records are late (a test of the late
 *   side queue passes the example's 10 s, and delayed deliveries are late too);
 * - idle timeout 10 s: longer than any backlog batch takes to process, so no
 *   partition is taken for idle while its records wait in the queue;
 * - processing-time timeout 30 min: timeout firings depend on wall-clock
 *   timing and would make the runs differ; they are unit-tested in the engine.
 */
export async function writeTestTemplate(dir: string, outOfOrderness = '90s'): Promise<string> {
  const template = JSON.parse(await readFile(exampleTemplate, 'utf8')) as {
    sources: { kind: string; watermark?: unknown }[];
    baseline: { timeout: string };
  };
  for (const source of template.sources) {
    if (source.kind !== 'sql') source.watermark = { outOfOrderness, idleTimeout: '10s' };
  }
  template.baseline.timeout = '30m';
  const path = join(dir, 'template.json');
  await writeFile(path, JSON.stringify(template));
  return path;
}

const SIM_SOURCES = [
  'client_order',
  'pay_page',
  'receipt',
  'pay_done',
  'channel_callback',
  'delivery',
] as const;

/** A fresh, migrated MariaDB database and how to drop it. */
export async function createDatabase(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const location = parseStoreUrl(baseUrl);
  if (location.backend !== 'mysql') throw new Error('WEFT_TEST_MYSQL_URL is not a mysql:// URL');
  const name = `weft_live_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection({
    host: location.host,
    port: location.port,
    user: location.user,
    password: location.password,
  });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  // Migrated up front, so the test can poll it before the correlator has started.
  const store = await openStore(url.toString());
  try {
    await applyMigrations(store);
  } finally {
    await store.close();
  }
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.end();
    },
  };
}

/** A scratch directory removed by `dispose`. */
export async function scratchDir(): Promise<{ path: string; dispose(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'weft-live-'));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

/** A unique topic prefix / group suffix for one test. */
export function uniqueName(what: string): string {
  return `weft.it.${what}.${randomBytes(5).toString('hex')}.`;
}

/** Deletes the topics of a test's prefix (the simulator's six in-app-purchase sources) and `extra` ones. */
export async function deleteTopics(
  brokers: string,
  prefix: string,
  extra: readonly string[] = [],
): Promise<void> {
  const kafka = createKafkajsClient({ brokers: brokers.split(','), clientId: 'weft-test-cleanup' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics([
      ...['client_order', 'pay_page', 'receipt', 'pay_done', 'channel_callback', 'delivery'].map(
        (source) => `${prefix}${source}`,
      ),
      ...extra,
    ]);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Creates the simulator's six in-app-purchase source topics (3 partitions, as
 * it makes them) with no time retention: some tests produce history with its
 * event time as the Kafka timestamp, and the fixed dates of their fixtures
 * fall out of the broker's retention (24 h in scripts/services) as the clock
 * moves on — the broker would delete them under the test.
 */
export async function createSourceTopics(brokers: string, prefix: string): Promise<void> {
  const kafka = createKafkajsClient({ brokers: brokers.split(','), clientId: 'weft-test-topics' });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics(
      SIM_SOURCES.map((source) => ({
        topic: `${prefix}${source}`,
        numPartitions: 3,
        configEntries: { 'retention.ms': '-1' },
      })),
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * The fixtures of a live suite with one consumer group, registered on the
 * enclosing `describe`: a unique topic prefix with the source topics created,
 * the group, and a scratch directory; after the suite, the directory, the
 * topics and the group's late topic are removed.
 *
 * @example const { prefix, group, scratchPath } = liveSuite(brokers, 'replay');
 */
export function liveSuite(
  brokers: string,
  name: string,
): { prefix: string; group: string; scratchPath: () => string } {
  const prefix = uniqueName(name);
  const group = `${prefix}g`;
  let scratch: Awaited<ReturnType<typeof scratchDir>> | undefined;
  beforeAll(async () => {
    scratch = await scratchDir();
    await createSourceTopics(brokers, prefix);
  });
  afterAll(async () => {
    await scratch?.dispose();
    await deleteTopics(brokers, prefix, [`${group}.late`]);
  });
  return {
    prefix,
    group,
    scratchPath: () => {
      if (scratch === undefined)
        throw new Error('liveSuite: its scratch directory exists only inside the suite');
      return scratch.path;
    },
  };
}

/** Waits until the correlator serving `/metrics` on `port` has fetched from Kafka (it is consuming). */
export async function waitUntilConsuming(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`)
      .then((response) => response.text())
      .catch(() => '');
    if (text.includes('weft_consumer_lag_messages{')) return;
    await sleep(200);
  }
  throw new Error(`the correlator on port ${port} did not start consuming within ${timeoutMs} ms`);
}

/** Simulates in-app-purchase traffic into `<prefix><source>` topics and `dir/truth.ndjson`. */
export function simulateToKafka(options: {
  brokers: string;
  prefix: string;
  dir: string;
  orders: number;
  seed: number;
  /** The simulator's `--faults`; default its defaults without the late-data fault. */
  faults?: string;
  /** Records per second in arrival order (the simulator's live mode); default as fast as it can. */
  rate?: number;
  /** Hours of event time the orders spread over; default 2. */
  spanHours?: number;
}): void {
  const run = weft([
    'simulate',
    '--orders',
    String(options.orders),
    '--seed',
    String(options.seed),
    '--faults',
    options.faults ?? 'late-data=0',
    '--start',
    '2026-11-24T00:00:00Z',
    '--span-hours',
    String(options.spanHours ?? 2),
    '--kafka',
    options.brokers,
    '--topic-prefix',
    options.prefix,
    '--out',
    options.dir,
    ...(options.rate === undefined ? [] : ['--rate', String(options.rate)]),
  ]);
  if (run.status !== 0) throw new Error(`weft simulate failed (${run.status}): ${run.stderr}`);
}

/**
 * Puts the item catalog the simulator wrote into `dir` into the store
 * (`weft dimension load`), where a live run's enrichment lookup reads it.
 */
export function loadItemCatalog(db: string, template: string, dir: string): void {
  const run = weft([
    'dimension',
    'load',
    '--db',
    db,
    '--template',
    template,
    join(dir, 'item_catalog.ndjson'),
  ]);
  if (run.status !== 0)
    throw new Error(`weft dimension load failed (${run.status}): ${run.stderr}`);
}

export async function readTruth(dir: string): Promise<TruthSession[]> {
  return [...parseTruthLines((await readFile(join(dir, 'truth.ndjson'), 'utf8')).split('\n'))];
}

/**
 * A record that moves the watermark past the end of the simulated traffic:
 * a channel callback one day later whose `trans_id` matches no session, so it
 * waits in the supplement buffer and produces nothing. Once every other
 * partition is idle, the watermark follows it and every session fires final.
 */
export async function pushWatermarkSentinel(brokers: string, prefix: string): Promise<void> {
  const kafka = createKafkajsClient({
    brokers: brokers.split(','),
    clientId: 'weft-test-sentinel',
  });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send(`${prefix}channel_callback`, [
      {
        partition: 0,
        value: JSON.stringify({
          notify_time: '2026-11-26T00:00:00.000Z',
          trans_id: 'T_TEST_WATERMARK_SENTINEL',
          trade_status: 'TRADE_SUCCESS',
          total_fee: '0.00',
        }),
      },
    ]);
  } finally {
    await producer.disconnect();
  }
}

/** Produces raw values to one partition of a topic, as they are (bad payloads for dead letters). */
export async function produceRaw(
  brokers: string,
  topic: string,
  partition: number,
  values: readonly Buffer[],
): Promise<void> {
  const kafka = createKafkajsClient({ brokers: brokers.split(','), clientId: 'weft-test-raw' });
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send(
      topic,
      values.map((value) => ({ partition, value })),
    );
  } finally {
    await producer.disconnect();
  }
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** A `weft correlate --kafka` child process. */
export interface CorrelatorProcess {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

/**
 * The flags every live test run of `weft correlate` starts with: the template,
 * the broker, the store, the test's topic prefix, its consumer group and its
 * checkpoint directory. Each test appends the flags it is about.
 */
export function liveCorrelateArgs(run: {
  template: string;
  brokers: string;
  db: string;
  prefix: string;
  group: string;
  checkpointDir: string;
}): string[] {
  return [
    '--template',
    run.template,
    '--kafka',
    run.brokers,
    '--db',
    run.db,
    '--topic-prefix',
    run.prefix,
    '--group',
    run.group,
    '--checkpoint-dir',
    run.checkpointDir,
  ];
}

/**
 * Starts `weft correlate ARGS`; `env` adds to the inherited environment (e.g.
 * NODE_OPTIONS). `WEFT_CORRELATOR_NODE_ARGS` (space-separated) is passed to
 * node before the CLI, for flags NODE_OPTIONS refuses: e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` profiles each correlator a benchmark starts.
 */
export function startCorrelator(
  args: readonly string[],
  env: Record<string, string> = {},
): CorrelatorProcess {
  const nodeArgs = (process.env.WEFT_CORRELATOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn('node', [...nodeArgs, requireBuiltCli(), 'correlate', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, exited, stderr: () => err, stdout: () => out };
}

/** Every stored session of the template. */
/**
 * The stored sessions of a template, without the ones retracted (merged into
 * another) unless `includeMerged`: a run whose records arrived in another
 * order may have stored and retracted other ids on the way.
 */
export async function storedSessions(
  db: string,
  templateId: string,
  options: { includeMerged?: boolean } = {},
): Promise<Session[]> {
  const store = await openStore(db);
  try {
    const sessions: Session[] = [];
    for await (const session of store.sessions.export({ templateId })) {
      if (options.includeMerged === true || session.mergedInto === null) sessions.push(session);
    }
    return sessions;
  } finally {
    await store.close();
  }
}

/**
 * What a stored session says, without the version (a count of emissions,
 * which depends on timing): id, key, status, fire reason, records per node,
 * conclusions.
 */
export function contentOf(session: Session): string {
  return JSON.stringify({
    id: session.sessionId,
    key: session.businessKey,
    status: session.status,
    fireReason: session.fireReason,
    nodes: session.nodes
      .map((node) => [node.node, node.records.map((r) => r.recordId).sort()] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
    verdicts: session.verdicts.map((v) => v.conclusion),
  });
}

/**
 * Pushes the watermark sentinel every 2 s until the store holds `expected`
 * sessions, all closed (final), or `timeoutMs` passed; returns the sessions.
 */
export async function waitForFinalSessions(options: {
  brokers: string;
  prefix: string;
  db: string;
  templateId: string;
  expected: number;
  timeoutMs: number;
  onPoll?: (sessions: Session[]) => void;
  /** Also required before returning (e.g. the late side queue is drained). */
  settled?: () => Promise<boolean>;
}): Promise<Session[]> {
  const deadline = Date.now() + options.timeoutMs;
  let sessions: Session[] = [];
  let lastSentinel = 0;
  while (Date.now() < deadline) {
    if (Date.now() - lastSentinel >= 2_000) {
      await pushWatermarkSentinel(options.brokers, options.prefix);
      lastSentinel = Date.now();
    }
    sessions = await storedSessions(options.db, options.templateId);
    options.onPoll?.(sessions);
    if (
      sessions.length === options.expected &&
      sessions.every((s) => s.status === 'closed') &&
      (options.settled === undefined || (await options.settled()))
    ) {
      return storedSessions(options.db, options.templateId);
    }
    await sleep(300);
  }
  return sessions;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The sum of a metric's samples (every label set) in Prometheus text. */
export function metricSum(text: string, name: string): number {
  const samples = text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gmu'));
  return [...samples].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * True once the correlator serving `/metrics` on `port` has applied every
 * late record it sent to its side queue (none waits for its horizon).
 */
export async function lateQueueDrained(port: number): Promise<boolean> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return (
    metricSum(text, 'weft_late_pending') === 0 &&
    metricSum(text, 'weft_late_reprocessed_total') >= metricSum(text, 'weft_late_records_total')
  );
}

/** Polls the store until `done` holds for the template's sessions, or fails saying what it last saw. */
export async function waitForSessions(
  db: string,
  done: (sessions: Session[]) => boolean,
  timeoutMs: number,
  templateId = 'in-app-purchase',
): Promise<Session[]> {
  const deadline = Date.now() + timeoutMs;
  let sessions: Session[] = [];
  while (Date.now() < deadline) {
    sessions = await storedSessions(db, templateId);
    if (done(sessions)) return sessions;
    await sleep(250);
  }
  const seen = sessions.map((s) => `${s.businessKey} v${s.version} t${s.templateVersion}`);
  throw new Error(`the stored sessions did not settle within ${timeoutMs} ms: ${seen.join(', ')}`);
}
