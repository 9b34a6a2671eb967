import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inAppPurchaseTemplate } from '../support/bounded-correlate.js';
import { storeBackends } from '../support/store-backends.js';
import { serviceEnv } from './env.js';
import {
  contentOf,
  createSourceTopics,
  deleteTopics,
  scratchDir,
  simulateToKafka,
  storedSessions,
  uniqueName,
  weft,
} from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');

/** Runs the built `weft backfill`, expecting success; returns its summary line. */
function backfill(...args: string[]): string {
  const run = weft(['backfill', '--template', inAppPurchaseTemplate, ...args]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

/** What the stored sessions say (ids, keys, status, records per node, conclusions), sorted. */
async function contents(db: string): Promise<string[]> {
  return (await storedSessions(db, 'in-app-purchase')).map(contentOf).sort();
}

/**
 * `weft backfill --kafka` replays the source topics through the same bounded
 * job as `--input`: the same simulated history, read from Kafka and from the
 * files the simulator wrote alongside, stores the same sessions.
 */
describe.skipIf(kafkaEnv.skip)('weft backfill --kafka (real broker)', () => {
  const brokers = kafkaEnv.value ?? '';
  const prefix = uniqueName('backfill');
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  const stores: { drop(): Promise<void> }[] = [];
  const fresh = async (backend = storeBackends[0]!) => {
    const created = await backend.fresh();
    stores.push(created);
    return created.url;
  };

  beforeAll(async () => {
    scratch = await scratchDir();
    await createSourceTopics(brokers, prefix);
    simulateToKafka({ brokers, prefix, dir: scratch.path, orders: 120, seed: 31 });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.drop()));
    await scratch?.dispose();
    await deleteTopics(brokers, prefix, []);
  });

  it.each(storeBackends)(
    'stores what a backfill of the same history from files stores ($name)',
    async (backend) => {
      const fromFiles = await fresh(backend);
      backfill('--input', scratch.path, '--db', fromFiles);
      const fromKafka = await fresh(backend);
      const summary = backfill('--kafka', brokers, '--topic-prefix', prefix, '--db', fromKafka);
      expect(summary).toMatch(/^backfilled in-app-purchase: \d+ inputs/u);

      const expected = await contents(fromFiles);
      expect(expected.length).toBeGreaterThan(100);
      expect(await contents(fromKafka)).toEqual(expected);
    },
    120_000,
  );

  it('applies --from/--to to event time as a backfill from files does', async () => {
    const all = (await storedSessions(await wholeHistory(), 'in-app-purchase')).flatMap((s) =>
      s.nodes.flatMap((node) => node.records.map((record) => record.eventTime)),
    );
    all.sort((a, b) => a - b);
    const range = [
      '--from',
      new Date(all[Math.floor(all.length / 3)]!).toISOString(),
      '--to',
      new Date(all[Math.floor((2 * all.length) / 3)]!).toISOString(),
    ];
    const fromFiles = await fresh();
    backfill('--input', scratch.path, '--db', fromFiles, ...range);
    const fromKafka = await fresh();
    backfill('--kafka', brokers, '--topic-prefix', prefix, '--db', fromKafka, ...range);
    const expected = await contents(fromFiles);
    expect(expected.length).toBeGreaterThan(0);
    expect(await contents(fromKafka)).toEqual(expected);
  }, 120_000);

  it('names the missing topic when --topic-prefix is wrong', () => {
    const run = weft([
      'backfill',
      '--template',
      inAppPurchaseTemplate,
      '--kafka',
      brokers,
      '--topic-prefix',
      `${prefix}nope.`,
      '--db',
      'sqlite::memory:',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot read the offsets of source topic '.*nope\.client_order'/u);
  });

  /** A store holding the Kafka backfill of the whole history. */
  async function wholeHistory(): Promise<string> {
    const db = await fresh();
    backfill('--kafka', brokers, '--topic-prefix', prefix, '--db', db);
    return db;
  }
});

describe('weft backfill takes --input or --kafka', () => {
  it.each([
    [[], /give either --input \(NDJSON history\) or --kafka/u],
    [['--input', '.', '--kafka', '127.0.0.1:9092'], /give either --input/u],
    [['--kafka', 'localhost'], /--kafka: each broker must be host:port/u],
  ])('%j', (args, message) => {
    const run = weft([
      'backfill',
      '--template',
      inAppPurchaseTemplate,
      '--db',
      'sqlite:x.db',
      ...args,
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
