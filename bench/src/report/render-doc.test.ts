import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareMetrics, verification } from '../compare-result.js';
import type { RunSummary } from '../engine-runs.js';
import type { MachineFacts } from '../machine.js';
import type { PublishedResult } from '../results.js';
import { CHART_DIR, renderDoc } from './render-doc.js';

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

  it('lists every target as not measured when there are no results', () => {
    const root = mkdtempSync(join(tmpdir(), 'weft-bench-doc-'));
    const doc = renderDoc(root, [], null);
    expect(doc.match(/\| not measured \|/g)).toHaveLength(7);
    expect(doc).toContain('Not measured yet: run `npm run bench`.');
  });
});
