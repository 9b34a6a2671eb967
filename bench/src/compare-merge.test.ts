import { describe, expect, it } from 'vitest';
import { keepOtherPoints } from './compare-merge.js';
import type { MachineFacts } from './machine.js';
import type { Metric, PublishedResult } from './results.js';

const machine = (gitCommit: string) => ({ gitCommit }) as unknown as MachineFacts;
const m = (orders: number, parallelism: number, median: number): Metric => ({
  name: 'records_per_cpu_second',
  unit: 'records/CPU-s',
  median,
  min: median,
  max: median,
  runs: [median],
  params: { engine: 'weft', orders, parallelism, records: orders * 6 },
});
const row = (orders: number, parallelism: number) => ({
  orders,
  parallelism,
  records: orders * 6,
  sessions: orders,
  dropped: 0,
  checksum: 'c'.repeat(64),
  input: 'simulate',
});
const result = (startedAt: string, commit: string, points: [number, number][], value: number) =>
  ({
    schema: 'weft.bench/1',
    benchmark: 'weft-vs-flink.in-app-purchase-scale',
    command: `run at ${startedAt}`,
    startedAt,
    params: {},
    metrics: points.map(([o, p]) => m(o, p, value)),
    verification: points.map(([o, p]) => row(o, p)),
    machine: machine(commit),
  }) as PublishedResult;

describe('keepOtherPoints', () => {
  it('keeps the earlier run’s points this run did not measure, each stamped with its own run', () => {
    const previous = result(
      '2026-01-01T00:00:00Z',
      'old',
      [
        [1_700_000, 1],
        [17_000, 1],
      ],
      1,
    );
    const current = result(
      '2026-01-02T00:00:00Z',
      'new',
      [
        [17_000, 1],
        [17_000, 2],
      ],
      2,
    );
    const merged = keepOtherPoints(previous, current) as PublishedResult & {
      verification: { orders: number; parallelism: number; gitCommit: string; command: string }[];
    };
    expect(merged.metrics.map((x) => [x.params?.orders, x.params?.parallelism, x.median])).toEqual([
      [1_700_000, 1, 1],
      [17_000, 1, 2],
      [17_000, 2, 2],
    ]);
    expect(merged.verification.map((v) => [v.orders, v.parallelism, v.gitCommit])).toEqual([
      [17_000, 1, 'new'],
      [17_000, 2, 'new'],
      [1_700_000, 1, 'old'],
    ]);
    expect(merged.verification[2]!.command).toBe('run at 2026-01-01T00:00:00Z');
    expect(merged.startedAt).toBe('2026-01-02T00:00:00Z');
  });

  it('stamps the rows of a first run', () => {
    const current = result('2026-01-02T00:00:00Z', 'new', [[17_000, 1]], 2);
    const merged = keepOtherPoints(undefined, current) as PublishedResult & {
      verification: { startedAt: string }[];
    };
    expect(merged.verification[0]!.startedAt).toBe('2026-01-02T00:00:00Z');
  });
});
