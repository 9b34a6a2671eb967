import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDemoOptions } from '../src/demo/demo-options.js';
import { countConclusions } from '../src/demo/demo-report.js';
import { runDemo } from '../src/demo/run-demo.js';
import type { DemoResult } from '../src/demo/run-demo.js';

const NOW = Date.UTC(2026, 10, 24, 5, 0, 0);

/**
 * The demo's data phase in-process (`--no-web`): simulated traffic of both
 * example scenarios correlated into a real SQLite store through the bounded
 * path, then reused by a second run.
 */
describe('weft demo --no-web --rate 0', () => {
  let dir: string;
  let first: DemoResult;
  let second: DemoResult;
  const lines: string[] = [];
  const run = (extra: Record<string, unknown> = {}) =>
    runDemo(
      parseDemoOptions({
        data: dir,
        orders: '80',
        seed: '5',
        port: '3000',
        web: false,
        rate: '0',
        ...extra,
      }),
      { out: (line) => lines.push(line), now: () => NOW, stopRequested: new Promise(() => {}) },
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-demo-'));
    first = await run();
    second = await run();
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the sessions of both scenarios with several distinct conclusions', async () => {
    expect(first.data.reused).toBe(false);
    const counts = await countConclusions(first.data.dbUrl);
    expect(Object.keys(counts).sort()).toEqual(['bank-transfer', 'in-app-purchase']);
    const purchases = counts['in-app-purchase'] ?? {};
    const total = Object.values(purchases).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(80);
    expect(Object.keys(purchases).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(counts['bank-transfer'] ?? {}).length).toBeGreaterThanOrEqual(2);
    expect(first.counts).toEqual(counts);
  });

  it('simulates the day before the last hour of the given clock', () => {
    expect(first.data.manifest.to).toBe(NOW - 3_600_000);
    expect(first.data.manifest.to - first.data.manifest.from).toBe(24 * 3_600_000);
  });

  it('reuses the data on a second run without touching the store', async () => {
    expect(second.data.reused).toBe(true);
    expect(second.counts).toEqual(first.counts);
    expect(second.data.manifest).toEqual(first.data.manifest);
    expect(lines.filter((line) => line.startsWith('simulating'))).toHaveLength(2);
  });

  it('regenerates the data with --reset', async () => {
    const before = (await stat(join(dir, 'demo.json'))).mtimeMs;
    const reset = await run({ reset: true, orders: '30' });
    expect(reset.data.reused).toBe(false);
    expect(reset.data.manifest.orders).toBe(30);
    expect((await stat(join(dir, 'demo.json'))).mtimeMs).toBeGreaterThanOrEqual(before);
    const total = Object.values(reset.counts['in-app-purchase'] ?? {}).reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(80);
  }, 120_000);
});
