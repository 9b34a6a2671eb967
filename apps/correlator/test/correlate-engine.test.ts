import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTruthLines, scoreSessions } from '@weft/simulator';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import type { RunSummary } from '../src/run/index.js';
import { correlateBounded } from './support/bounded-correlate.js';

/**
 * End to end on the bounded path with the real pieces: the simulator writes
 * an NDJSON dataset with its truth, `runCorrelate` runs the engine's batch job
 * into a real SQLite store, and the stored sessions are scored against the truth.
 */
describe('weft correlate with the engine, on simulated data without faults', () => {
  let dir: string;
  let summary: RunSummary;
  let stored: Session[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-correlate-e2e-'));
    const data = join(dir, 'data');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await main([
      'node',
      'weft',
      'simulate',
      '--out',
      data,
      '--orders',
      '60',
      '--seed',
      '7',
      '--faults',
      'none',
    ]);
    vi.restoreAllMocks();
    expect(process.exitCode ?? 0).toBe(0);
    const db = `sqlite:${join(dir, 'weft.db')}`;
    ({ summary, stored } = await correlateBounded(data, db));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every event source file of the dataset and stores the sessions it emitted', async () => {
    const files = (await readdir(join(dir, 'data'))).filter((f) => f.endsWith('.ndjson'));
    const read = Object.keys(summary.inputs).map((source) => `${source}.ndjson`);
    expect(summary.missingSources).toEqual([]);
    // Every file is read as an event source, a dimension table, or reported as unknown (truth).
    expect(summary.unknownFiles).toEqual(['truth.ndjson']);
    expect([...read, 'item_catalog.ndjson', ...summary.unknownFiles].sort()).toEqual(files.sort());
    expect(read).toContain('pay_done.ndjson');
    expect(summary.deadLetters).toEqual({});
    expect(stored.length).toBe(summary.sessions - summary.retractions);
    expect(stored.length).toBeGreaterThanOrEqual(60);
  });

  it('assigns records to sessions with 100% pairwise precision and recall', async () => {
    const truth = parseTruthLines(
      (await readFile(join(dir, 'data', 'truth.ndjson'), 'utf8')).split('\n'),
    );
    const report = scoreSessions(truth, stored);
    expect(report.assignment.pairwise.precision).toBe(1);
    expect(report.assignment.pairwise.recall).toBe(1);
    expect(report.assignment.missingRecords).toBe(0);
  });
});
