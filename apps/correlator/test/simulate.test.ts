import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../src/cli.js';
import { UsageError } from '../src/errors.js';
import { createKafkajsClient } from '../src/kafka/index.js';

const root = mkdtempSync(join(tmpdir(), 'weft-simulate-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function weft(...args: string[]): Promise<string[]> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  await buildProgram().parseAsync(['node', 'weft', ...args]);
  return out;
}

const readAll = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

describe('weft simulate', () => {
  it('writes the same bytes twice for the same seed, and says what it wrote', async () => {
    const args = ['simulate', '--scenario', 'bank-transfer', '--orders', '300', '--seed', '4'];
    const out = await weft(...args, '--out', join(root, 'a'));
    await weft(...args, '--out', join(root, 'b'));
    const a = readAll(join(root, 'a'));
    expect(Object.keys(a).sort()).toEqual([
      'aml_screening.ndjson',
      'clearing_ack.ndjson',
      'core_booking.ndjson',
      'customer_kyc.ndjson',
      'manifest.json',
      'transfer_request.ndjson',
      'truth.ndjson',
    ]);
    expect(a).toEqual(readAll(join(root, 'b')));
    expect(out[0]).toMatch(/^simulated 300 bank-transfer sessions/);
  });

  it('honours --faults none and --start', async () => {
    const dir = join(root, 'c');
    await weft(
      'simulate',
      '--orders',
      '50',
      '--faults',
      'none',
      '--start',
      '2027-01-01T00:00:00Z',
      '--out',
      dir,
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      options: { start: number };
      counts: { conclusions: Record<string, number> };
    };
    expect(manifest.options.start).toBe(Date.UTC(2027, 0, 1));
    expect(manifest.counts.conclusions).toEqual({ ok: 50 });
    const first = JSON.parse(
      readFileSync(join(dir, 'client_order.ndjson'), 'utf8').split('\n')[0] ?? '{}',
    ) as { ts: number };
    expect(first.ts).toBeGreaterThanOrEqual(Date.UTC(2027, 0, 1));
  });

  it('rejects bad input with a UsageError that names the problem', async () => {
    await expect(
      weft('simulate', '--orders', '10', '--faults', 'gremlins=1', '--out', root),
    ).rejects.toThrow(/unknown fault "gremlins"/);
    await expect(weft('simulate', '--orders', '10')).rejects.toThrow(UsageError);
    await expect(weft('simulate', '--orders', 'many', '--out', root)).rejects.toThrow(/--orders/);
    await expect(weft('simulate', '--scenario', 'pizza', '--out', root)).rejects.toThrow(
      /unknown scenario "pizza"/,
    );
    await expect(weft('simulate', '--start', 'yesterday', '--out', root)).rejects.toThrow(
      /--start/,
    );
  });
});

const brokers = process.env.WEFT_TEST_KAFKA_BROKERS;

describe.skipIf(brokers === undefined)('weft simulate --kafka (WEFT_TEST_KAFKA_BROKERS)', () => {
  // Producing is at least once (see kafkajs-client.ts): a retried request may
  // append a line twice, which Weft's record ids absorb. So the check is that
  // every line of every source file is on its topic, and nothing else is.
  it('produces every record line to its source topic, and nothing else', async () => {
    const prefix = `weft.test.simulate.${String(process.pid)}.${String(Date.now())}.`;
    const dir = join(root, 'kafka');
    await weft(
      'simulate',
      '--orders',
      '40',
      '--seed',
      '5',
      '--out',
      dir,
      '--kafka',
      brokers ?? '',
      '--topic-prefix',
      prefix,
      '--start',
      '2026-11-24T00:00:00Z',
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      counts: { recordLines: Record<string, number> };
    };
    const sources = Object.keys(manifest.counts.recordLines);
    const kafka = createKafkajsClient({
      brokers: (brokers ?? '').split(','),
      clientId: 'weft-simulate-test',
    });
    const admin = kafka.admin();
    await admin.connect();
    let expected = 0;
    try {
      for (const source of sources) {
        const ends = await admin.fetchTopicEndOffsets(`${prefix}${source}`);
        const appended = ends.reduce((sum, p) => sum + Number(p.offset), 0);
        expect(appended, source).toBeGreaterThanOrEqual(manifest.counts.recordLines[source]!);
        expected += appended;
      }
    } finally {
      await admin.disconnect();
    }

    const consumed = new Map<string, Set<string>>(sources.map((s) => [`${prefix}${s}`, new Set()]));
    let count = 0;
    const consumer = kafka.consumer({ groupId: `${prefix}check` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...consumed.keys()], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`consumed ${String(count)} of ${String(expected)} messages`)),
          60_000,
        );
        void consumer.run(async (batch) => {
          for (const m of batch.messages) consumed.get(batch.topic)?.add(m.value?.toString() ?? '');
          count += batch.messages.length;
          if (count >= expected) {
            clearTimeout(timer);
            resolve();
          }
          return Promise.resolve();
        });
      });
    } finally {
      await consumer.disconnect();
    }
    for (const source of sources) {
      const lines = readFileSync(join(dir, `${source}.ndjson`), 'utf8')
        .split('\n')
        .filter(Boolean);
      expect([...consumed.get(`${prefix}${source}`)!].sort(), source).toEqual(
        [...new Set(lines)].sort(),
      );
    }
  });
});
