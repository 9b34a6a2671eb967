import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareRecord } from '@weft/engine';
import type { RawInput } from '@weft/engine';
import { createSimulation, fileDatasetSink, runSimulation } from '@weft/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksum } from './canonical.js';
import { feedInEventTimeOrder } from './event-time-feed.js';
import { readRawLines } from './lines.js';
import { DisorderError, StreamingCorrelation } from './stream-job.js';
import { runParallel } from './weft-parallel.js';
import { canonicalLines, inAppPurchaseTemplate, runWeftBatch, sourceOrder } from './weft-job.js';

const compiled = inAppPurchaseTemplate();
const root = mkdtempSync(join(tmpdir(), 'weft-stream-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Simulated inputs: clean, and with the faults that produce dead letters, duplicates, orphans and splits. */
const datasets = [
  { name: 'clean', orders: 300, seed: 1, faults: 'none' },
  {
    name: 'faulty',
    orders: 300,
    seed: 7,
    faults:
      'duplicate-lines=0.1,malformed=0.05,orphan-callback=0.1,double-delivery=0.1,callback-lost=0.1,abandon-at-pay-page=0.1',
  },
];

beforeAll(async () => {
  for (const d of datasets)
    await runSimulation(
      createSimulation({
        scenario: 'in-app-purchase',
        orders: d.orders,
        seed: d.seed,
        faults: d.faults,
      }),
      { dataset: fileDatasetSink(join(root, d.name)) },
    );
});

async function batchLines(dir: string) {
  const inputs: RawInput[] = [];
  for (const source of sourceOrder(compiled))
    for (const raw of await readRawLines(join(dir, `${source}.ndjson`)))
      inputs.push({ source, raw });
  const outcome = runWeftBatch(compiled, inputs);
  return {
    lines: canonicalLines(outcome.sessions, inputs).sort(),
    outcome,
    records: inputs.length,
  };
}

/** The largest lag of a line behind the latest event time before it in its file: the bound the input needs. */
async function disorderOf(dir: string): Promise<number> {
  let lag = 0;
  for (const source of sourceOrder(compiled)) {
    let max = Number.NEGATIVE_INFINITY;
    for (const raw of await readRawLines(join(dir, `${source}.ndjson`))) {
      const prepared = prepareRecord(compiled, { source, raw }, 0);
      if (!prepared.ok) continue;
      const ts = prepared.routed.record.eventTime;
      lag = Math.max(lag, max - ts);
      max = Math.max(max, ts);
    }
  }
  return lag;
}

async function streamLines(dir: string, chunkBytes: number) {
  const lines: string[] = [];
  const job = new StreamingCorrelation(compiled, (batch) => lines.push(...batch));
  const outOfOrdernessMs = await disorderOf(dir);
  const { recordsIn } = await feedInEventTimeOrder(
    { dir, sources: sourceOrder(compiled), outOfOrdernessMs, chunkBytes },
    job,
  );
  return { lines: lines.sort(), counts: job.counts, recordsIn };
}

describe('StreamingCorrelation (differential against runBatch)', () => {
  for (const d of datasets) {
    for (const chunkBytes of [1 << 20, 4096]) {
      it(`gives runBatch's sessions on the ${d.name} input, read ${String(chunkBytes)} bytes at a time`, async () => {
        const dir = join(root, d.name);
        const batch = await batchLines(dir);
        const stream = await streamLines(dir, chunkBytes);
        expect(stream.lines.length).toBeGreaterThan(d.orders / 2);
        expect(stream.lines).toEqual(batch.lines);
        expect(stream.recordsIn).toBe(batch.records);
        expect(stream.counts.deadLetters).toBe(batch.outcome.deadLetters);
        expect(stream.counts.orphans).toBe(batch.outcome.orphans);
        expect(stream.counts.late).toBe(0);
        expect(stream.counts.sessions).toBe(batch.lines.length);
      });
    }
    it(`gives runBatch's sessions on the ${d.name} input over two worker threads, read in small batches`, async () => {
      const dir = join(root, d.name);
      const batch = await batchLines(dir);
      const run = await runParallel(compiled, dir, 2, {
        outOfOrdernessMs: await disorderOf(dir),
        linesPrefix: join(root, `${d.name}-p2`),
        chunkBytes: 4096,
      });
      const lines = run.lineFiles.flatMap((f) => readFileSync(f, 'utf8').split('\n').slice(0, -1));
      expect(run.recordsIn).toBe(batch.records);
      expect(run.partitionConflicts).toBe(0);
      expect(run.counts.deadLetters).toBe(batch.outcome.deadLetters);
      expect(checksum(lines)).toBe(checksum(batch.lines));
    });
  }

  it('holds a bounded reorder buffer when the files are read in small batches', async () => {
    const stream = await streamLines(join(root, 'clean'), 4096);
    expect(stream.counts.maxBuffered).toBeLessThan(stream.recordsIn / 3);
  });

  it('fails with DisorderError when a file is more out of order than the bound', async () => {
    const dir = join(root, 'disordered');
    mkdirSync(dir);
    const order = (ts: number, id: string) =>
      JSON.stringify({ ts, event: 'order_create', order_id: id, role_id: 'R1' });
    writeFileSync(
      join(dir, 'client_order.ndjson'),
      `${order(1_000_000, 'A')}\n${order(2_000_000, 'B')}\n${order(1_000, 'C')}\n`,
    );
    const job = new StreamingCorrelation(compiled, () => undefined);
    await expect(
      feedInEventTimeOrder(
        { dir, sources: ['client_order'], outOfOrdernessMs: 60_000, chunkBytes: 80 },
        job,
      ),
    ).rejects.toThrow(DisorderError);
  });
});
