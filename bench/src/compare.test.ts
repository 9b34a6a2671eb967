import { describe, expect, it } from 'vitest';
import { VerificationError, verifyPair } from './compare.js';
import { compareMetrics } from './compare-result.js';
import type { RunSummary } from './engine-runs.js';

const base: RunSummary = {
  records_in: 600,
  sessions: 100,
  dropped: 0,
  checksum: 'a'.repeat(64),
  elapsed_ms: 1000,
  cpu_ms: 2000,
  parallelism: 2,
};
const names = ['Weft', 'Flink'] as const;

describe('verifyPair', () => {
  it('accepts the same records, sessions and checksum with nothing late', () => {
    expect(() =>
      verifyPair([base, { ...base, late: { baseline: 0 } }], names, 'x', '/o'),
    ).not.toThrow();
  });

  it('fails naming both checksums and the files to diff', () => {
    const other = { ...base, checksum: 'b'.repeat(64) };
    expect(() => verifyPair([base, other], names, '10 orders', '/o')).toThrow(VerificationError);
    expect(() => verifyPair([base, other], names, '10 orders', '/o')).toThrow(
      /checksum: Weft a{64}, Flink b{64}.*\n.*diff \/o\/weft-p2\.ndjson \/o\/flink-p2\.ndjson/,
    );
  });

  it('fails when either side dropped late records', () => {
    expect(() =>
      verifyPair([base, { ...base, late: { 'delivery_join.delivery': 1 } }], names, 'x', '/o'),
    ).toThrow(/Flink dropped late records/);
  });
});

describe('compareMetrics', () => {
  it('gives wall and CPU throughput per engine and per-pair Weft/Flink ratios', () => {
    const point = {
      dataset: { dir: '/d', orders: 100, seed: 42, command: 'c' },
      parallelism: 2,
      weft: [base, { ...base, elapsed_ms: 500 }, { ...base, elapsed_ms: 250 }],
      flink: [
        { ...base, elapsed_ms: 2000 },
        { ...base, elapsed_ms: 2000 },
        { ...base, elapsed_ms: 500 },
      ],
    };
    const metrics = compareMetrics([point]);
    const find = (name: string, engine?: string) =>
      metrics.find(
        (m) => m.name === name && (engine === undefined || m.params?.engine === engine),
      )!;
    expect(find('records_per_second', 'weft')).toMatchObject({ median: 1200, min: 600, max: 2400 });
    expect(find('records_per_cpu_second', 'flink')).toMatchObject({
      median: 300,
      min: 300,
      max: 300,
    });
    expect(find('weft_to_flink_records_per_second').runs).toEqual([2, 4, 2]);
    expect(find('weft_to_flink_records_per_second').median).toBe(2);
  });
});
