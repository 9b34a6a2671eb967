import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostileRecords, parseTruthLines, scoreSessions } from '@weft/simulator';
import type { HostileCategory } from '@weft/simulator';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import type { RunSummary } from '../src/run/index.js';
import { correlateBounded } from './support/bounded-correlate.js';

const HOSTILE = 100_000;
/** Lines far beyond the default 1 MiB record limit, which the file source must not hold whole. */
const OVERSIZED = 2;

/**
 * Issue #10, hostile input through the NDJSON file source: a simulated
 * dataset with its usual faults, and 100,000 adversarial lines interleaved
 * into its source files. Every hostile line must become a dead letter with a
 * reason, the valid records must correlate exactly as without them, and
 * nothing may reach Object.prototype.
 */
describe('weft correlate on 100,000 hostile lines mixed into simulated traffic', () => {
  let dir: string;
  let summary: RunSummary;
  let stored: Session[];
  let expectedDeadLetters: number;
  const categories = new Map<HostileCategory, number>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-hostile-'));
    const data = join(dir, 'data');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await main(['node', 'weft', 'simulate', '--out', data, '--orders', '300', '--seed', '11']);
    vi.restoreAllMocks();
    const manifest = JSON.parse(await readFile(join(data, 'manifest.json'), 'utf8')) as {
      counts: { deadLetters: number };
    };
    expectedDeadLetters = manifest.counts.deadLetters + HOSTILE + OVERSIZED;

    const hostile = new Map<string, Buffer[]>();
    for (const r of hostileRecords({
      scenario: 'in-app-purchase',
      count: HOSTILE,
      seed: 11,
      hugeSize: 2_000,
    })) {
      categories.set(r.category, (categories.get(r.category) ?? 0) + 1);
      const list = hostile.get(r.source) ?? [];
      list.push(r.bytes);
      hostile.set(r.source, list);
    }
    hostile.get('pay_done')!.push(Buffer.alloc(8 << 20, 'x'), Buffer.alloc(3 << 20, '{'));
    for (const [source, lines] of hostile) await interleave(join(data, `${source}.ndjson`), lines);

    const db = `sqlite:${join(dir, 'weft.db')}`;
    ({ summary, stored } = await correlateBounded(data, db));
  }, 180_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generated every hostile category', () => {
    expect(categories.size).toBe(12);
  });

  it('dead-letters every hostile line, each with a reason', () => {
    const total = Object.values(summary.deadLetters).reduce((a, b) => a + b, 0);
    expect(total, JSON.stringify(summary.deadLetters)).toBe(expectedDeadLetters);
    for (const reason of Object.keys(summary.deadLetters)) expect(reason).toMatch(/^[a-z0-9_]+$/);
  });

  it('correlates the valid records exactly: 100% precision and recall, diagonal verdicts', async () => {
    const truth = parseTruthLines(
      (await readFile(join(dir, 'data', 'truth.ndjson'), 'utf8')).split('\n'),
    );
    const report = scoreSessions(truth, stored);
    expect(report.assignment.pairwise.precision).toBe(1);
    expect(report.assignment.pairwise.recall).toBe(1);
    expect(report.assignment.missingRecords).toBe(0);
    expect(report.assignment.unknownRecords).toBe(0);
    expect(report.conclusions.accuracy).toBe(1);
  });

  it('leaves Object.prototype untouched', () => {
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** Spreads `extra` evenly between the file's lines. */
async function interleave(file: string, extra: Buffer[]): Promise<void> {
  const valid = (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
  const out: Buffer[] = [];
  let next = 0;
  valid.forEach((line, i) => {
    out.push(Buffer.from(line), NEWLINE);
    const share = Math.ceil((extra.length - next) / (valid.length - i));
    for (let k = 0; k < share && next < extra.length; k++) out.push(extra[next++]!, NEWLINE);
  });
  for (; next < extra.length; next++) out.push(extra[next]!, NEWLINE);
  await writeFile(file, Buffer.concat(out));
}

const NEWLINE = Buffer.from('\n');
