import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMetrics, verification } from '../compare-result.js';
import type { RunSummary } from '../engine-runs.js';
import type { MachineFacts } from '../machine.js';
import type { PublishedResult } from '../results.js';
import { CHART_DIR, renderDoc, rssGrowth } from './render-doc.js';

const machine: MachineFacts = {
  cpuModel: 'Test CPU',
  cores: 2,
  memoryBytes: 2 ** 34,
  node: 'v20.20.2',
  java: '17.0.15',
  mariadb: null,
  kafka: '3.9.2',
  gitCommit: 'abcdef0123456789',
  gitDirty: false,
  loadAverage1m: 1.5,
};

const run = (elapsed_ms: number, cpu_ms: number): RunSummary => ({
  records_in: 6000,
  sessions: 1000,
  dropped: 0,
  checksum: 'c'.repeat(64),
  elapsed_ms,
  cpu_ms,
  parallelism: 1,
});

function compareResult(): PublishedResult {
  const point = {
    dataset: { dir: '/d', orders: 1000, seed: 42, command: 'weft simulate --orders 1000' },
    parallelism: 1,
    weft: [run(1000, 2000), run(2000, 2000), run(500, 2000)],
    flink: [run(3000, 6000), run(3000, 6000), run(3000, 6000)],
  };
  return {
    schema: 'weft.bench/1',
    benchmark: 'weft-vs-flink.in-app-purchase',
    command: 'npm run bench',
    startedAt: '2026-11-24T07:00:00.000Z',
    params: {},
    metrics: compareMetrics([point]),
    verification: verification([point]),
    machine,
  } as PublishedResult;
}

describe('renderDoc', () => {
  it('prints the medians with min–max, the ratio, the verified checksum and links charts it wrote', () => {
    const root = mkdtempSync(join(tmpdir(), 'weft-bench-doc-'));
    const doc = renderDoc(root, [compareResult()], null);
    expect(doc).toContain('| Weft | 1 | 6,000 (3,000–12,000) | 3,000 |');
    expect(doc).toContain('| Flink 1.20.5 | 1 | 2,000 | 1,000 |');
    expect(doc).toContain('| 1 | 3 (1.50–6) | 3 |');
    expect(doc).toContain('`cccccccccccccccc…`');
    expect(doc).toContain('](../bench/results/charts/weft-vs-flink.in-app-purchase.cpu.svg)');
    expect(existsSync(join(root, CHART_DIR, 'weft-vs-flink.in-app-purchase.cpu.svg'))).toBe(true);
    expect(doc).toContain('Test CPU, 2 cores');
  });

  it('prints the scale curve, a single-engine point and the end-to-end table', () => {
    const root = mkdtempSync(join(tmpdir(), 'weft-bench-doc-'));
    const big = (records: number) => ({
      ...run(10_000, 20_000),
      records_in: records,
      max_rss_bytes: 2 ** 30,
      max_heap_used_bytes: 2 ** 29,
    });
    const points = [
      {
        dataset: { dir: '/d', orders: 1000, seed: 42, command: 'simulate 1000' },
        parallelism: 1,
        weft: [big(6000)],
        flink: [{ ...big(6000), max_heap_used_bytes: undefined }],
      },
      {
        dataset: { dir: '/d', orders: 1_700_000, seed: 42, command: 'simulate 1700000' },
        parallelism: 1,
        weft: [big(10_200_000)],
        flink: [],
      },
    ];
    const scale = {
      ...compareResult(),
      benchmark: 'weft-vs-flink.in-app-purchase-scale',
      metrics: compareMetrics(points),
      verification: verification(points),
    } as PublishedResult;
    const e2e = {
      schema: 'weft.bench/1',
      benchmark: 'correlator.e2e',
      command: 'npm run bench -w @weft/correlator',
      startedAt: '2026-11-24T07:00:00.000Z',
      params: {},
      metrics: [
        {
          name: 'latency_p99',
          unit: 'ms',
          median: 700,
          min: 600,
          max: 800,
          runs: [600, 700, 800],
          params: { mode: 'paced', rate: 10000, seconds: 20 },
        },
        {
          name: 'latency_p99',
          unit: 'ms',
          median: 300,
          min: 300,
          max: 300,
          runs: [300],
          params: { mode: 'paced', rate: 7200, seconds: 20, of: 'max: 80 % of the backlog rate' },
        },
        {
          name: 'records_per_second',
          unit: 'records/s',
          median: 9000,
          min: 9000,
          max: 9000,
          runs: [9000],
          params: { mode: 'backlog', records: 60000 },
        },
      ],
      machine,
    } as PublishedResult;
    const doc = renderDoc(root, [scale, e2e], null);
    expect(doc).toContain('| 10,200,000 | 510,000 | 1,020,000 | 1 GiB | 512 MiB | — | — | — |');
    expect(doc).toContain('| 6,000 | 300 | 600 | 1 GiB | 512 MiB | 300 | 600 | 1 GiB |');
    expect(doc).toMatch(
      /\| 10,200,000 \| 1 \| 1,000 \| 0 \| `c{16}…` \| weft only \(Weft batch runner\) \|/,
    );
    expect(doc).toContain('| 10,000 records/s, paced | — | — | — | 700 (600–800) | — |');
    expect(doc).toContain(
      '| 7,200 records/s, paced (max: 80 % of the backlog rate) | — | — | — | 300 | — |',
    );
    expect(doc).toContain(
      '| max: a backlog of 60,000 records | 9,000 | — | — (see the paced max row) | — (see the paced max row) | — |',
    );
    expect(doc).toContain('scale curve reaches 10,200,000 records');
    expect(doc).toContain(
      'peaked at 1 GiB of resident memory at 10,200,000 records, against 1 GiB at 6,000: about what it was',
    );
  });

  it('says how peak memory grew between the smallest and the largest scale', () => {
    const GiB = 1024 ** 3;
    expect(
      rssGrowth([
        { records: 102_000, bytes: 0.25 * GiB },
        { records: 10_200_000, bytes: 2 * GiB },
      ]),
    ).toContain(
      'peaked at 2 GiB of resident memory at 10,200,000 records, against 256 MiB at 102,000: 8.0× more for 100× the input: it grows with the input, more slowly than it',
    );
    expect(
      rssGrowth([
        { records: 1_000, bytes: 0.01 * GiB },
        { records: 10_000, bytes: 0.2 * GiB },
      ]),
    ).toContain('20.0× more for 10× the input: it grows as fast as the input');
    expect(rssGrowth([{ records: 1_000, bytes: GiB }])).toBe('');
  });

  it('lists every target as not measured when there are no results', () => {
    const root = mkdtempSync(join(tmpdir(), 'weft-bench-doc-'));
    const doc = renderDoc(root, [], null);
    expect(doc.match(/\| not measured \|/g)).toHaveLength(7);
    expect(doc).toContain('Not measured yet: run `npm run bench`.');
  });
});
