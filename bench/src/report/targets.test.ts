import { describe, expect, it } from 'vitest';
import type { Metric, PublishedResult } from '../results.js';
import { evaluateTargets } from './targets.js';

const metric = (name: string, median: number, params: Metric['params']): Metric => ({
  name,
  unit: 'x',
  median,
  min: median,
  max: median,
  runs: [median],
  params,
});

const result = (benchmark: string, metrics: Metric[]): PublishedResult =>
  ({
    schema: 'weft.bench/1',
    benchmark,
    command: 'c',
    startedAt: 't',
    params: {},
    metrics,
  }) as unknown as PublishedResult;

describe('evaluateTargets', () => {
  it('reports every target as not measured, with what is missing, when there are no results', () => {
    const rows = evaluateTargets([]);
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.status === 'not measured' && r.gap.length > 0)).toBe(true);
  });

  it('takes the largest scale and states the gap of a missed target', () => {
    const rows = evaluateTargets([
      result('weft-vs-flink.in-app-purchase', [
        metric('weft_to_flink_records_per_second', 0.5, { parallelism: 2, records: 1000 }),
        metric('weft_to_flink_records_per_second', 1.5, { parallelism: 2, records: 100 }),
        metric('weft_to_flink_records_per_second', 9, { parallelism: 1, records: 1e6 }),
        metric('records_per_cpu_second', 400_000, {
          engine: 'weft',
          parallelism: 1,
          records: 1000,
        }),
      ]),
    ]);
    expect(rows[0]).toMatchObject({ status: 'not met', gap: '2× short (0.50 vs 1 ×)' });
    expect(rows[0]!.measured).toContain('records 1,000');
    expect(rows[1]).toMatchObject({ status: 'met', gap: '—' });
  });

  it('treats latency targets as lower-is-better', () => {
    const rows = evaluateTargets([
      result('storage.mysql', [
        metric('lookup_p99', 20, {}),
        metric('dashboard_90d_hourly_3dims', 100, {}),
      ]),
    ]);
    expect(rows[4]).toMatchObject({ status: 'not met', gap: '2× short (20 vs 10 ms)' });
    expect(rows[5]).toMatchObject({ status: 'met below the named scale' });
    expect(rows[5]!.gap).toBe('not measured at 10,000,000; largest scale measured: 0');
  });

  it('reads end-to-end throughput from the backlog run and p99 only at 10k records/s', () => {
    const rows = evaluateTargets([
      result('correlator.e2e', [
        metric('records_per_second', 900, { mode: 'paced', rate: 1000 }),
        metric('records_per_second', 60_000, { mode: 'backlog', records: 60_000 }),
        metric('latency_p99', 300, { mode: 'paced', rate: 1000 }),
      ]),
    ]);
    expect(rows[2]).toMatchObject({ status: 'met' });
    expect(rows[3]).toMatchObject({ status: 'not measured' });
    const at10k = evaluateTargets([
      result('correlator.e2e', [metric('latency_p99', 700, { rate: 10_000 })]),
    ]);
    expect(at10k[3]).toMatchObject({ status: 'not met', gap: '1.40× short (700 vs 500 ms)' });
  });

  it('counts a storage target as met only at the 10M sessions it names', () => {
    const at = (total: number) =>
      evaluateTargets([
        { ...result('storage.mysql', [metric('dashboard_90d', 100, {})]), params: { total } },
      ])[5]!.status;
    expect(at(10_000_000)).toBe('met');
    expect(at(1_000_000)).toBe('met below the named scale');
  });
});
