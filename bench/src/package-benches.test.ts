import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lastLines, parseEnvExports, workspaces } from './package-benches.js';
import { parseBenchResult } from './results.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('parseEnvExports', () => {
  it('reads export lines and ignores everything else', () => {
    const text = 'export A_URL=mysql://u:p@h:1/db\n# comment\nexport B="x y"\nnot an export\n';
    expect(parseEnvExports(text)).toEqual({ A_URL: 'mysql://u:p@h:1/db', B: 'x y' });
  });
});

describe('lastLines', () => {
  it('keeps the error and drops npm noise, stack frames and blank lines', () => {
    const log = [
      'npm warn Unknown user config "nodedir".',
      'InvalidOptionError: orders must be an integer in [1, 100000000], got NaN.',
      '    at resolveOptions (/x/options.ts:38:11)',
      '',
      'Node.js v20.20.2',
      'npm error Lifecycle script `bench` failed with error:',
    ].join('\n');
    expect(lastLines(log)).toBe(
      'InvalidOptionError: orders must be an integer in [1, 100000000], got NaN.',
    );
  });
});

describe('workspaces', () => {
  it('finds the engine and the correlator in this repository', () => {
    const names = workspaces(root).map((w) => w.name);
    expect(names).toContain('@weft/engine');
    expect(names).toContain('@weft/correlator');
  });
});

describe('parseBenchResult', () => {
  const valid = {
    schema: 'weft.bench/1',
    benchmark: 'engine.throughput',
    command: 'npm run bench -w @weft/engine',
    startedAt: '2026-11-24T06:00:00.000Z',
    params: { sessions: 1000 },
    metrics: [
      { name: 'records_per_second', unit: 'records/s', median: 2, min: 1, max: 3, runs: [1, 2, 3] },
    ],
  };

  it('accepts the contract and keeps extra fields', () => {
    expect(parseBenchResult({ ...valid, note: 'x' }, 'f').benchmark).toBe('engine.throughput');
  });

  it('names every problem with its path', () => {
    const bad = {
      ...valid,
      schema: 'weft.bench/2',
      metrics: [{ name: 'x', unit: 'u', median: 1 }],
    };
    expect(() => parseBenchResult(bad, 'engine.json')).toThrow(
      /engine\.json does not follow weft\.bench\/1: schema: .*metrics\.0\.min/,
    );
  });
});
