import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '@weft/templates';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSimulation,
  fileDatasetSink,
  parseTruthLines,
  runSimulation,
  scoreSessions,
} from '../../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'weft-sim-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function generate(dir: string, seed: number) {
  const out = join(root, dir);
  await runSimulation(createSimulation({ scenario: 'in-app-purchase', orders: 3000, seed }), {
    dataset: fileDatasetSink(out),
  });
  return out;
}

const readAll = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));

/** The sessions a perfect correlator would emit, built from the files and the truth. */
function perfectSessions(dir: string): Session[] {
  const truth = [...parseTruthLines(readFileSync(join(dir, 'truth.ndjson'), 'utf8').split('\n'))];
  const raws = new Map<string, unknown>();
  for (const name of readdirSync(dir).filter(
    (n) => n.endsWith('.ndjson') && n !== 'truth.ndjson',
  )) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      try {
        const raw = JSON.parse(line) as { _sim?: { record: string } };
        if (raw._sim !== undefined) raws.set(raw._sim.record, raw);
      } catch {
        // Malformed lines are dead letters: a perfect correlator puts them in no session.
      }
    }
  }
  return truth.flatMap((entry) =>
    entry.expected.map((part) => {
      const verdict =
        part.conclusion === null
          ? null
          : {
              conclusion: part.conclusion,
              label: '',
              severity: 'info' as const,
              explanation: '',
              inputs: {},
            };
      return {
        sessionId: part.id,
        templateId: 'in-app-purchase',
        templateVersion: 1,
        businessKey: entry.businessKey ?? '',
        version: 1,
        status: 'closed' as const,
        fireReason: 'final' as const,
        start: 0,
        end: 0,
        nodes: [
          {
            node: 'all',
            kind: 'baseline' as const,
            records: part.records.map((id) => ({
              recordId: id,
              source: 'x',
              eventTime: 0,
              raw: raws.get(id),
              fields: {},
              late: false,
            })),
          },
        ],
        fields: {},
        verdicts: verdict === null ? [] : [verdict],
        verdict,
        mergedInto: null,
      };
    }),
  );
}

describe('a dataset on disk', () => {
  it('is byte-identical for the same seed and differs for another seed', async () => {
    const a = readAll(await generate('a', 7));
    const b = readAll(await generate('b', 7));
    const c = readAll(await generate('c', 8));
    expect(Object.keys(a)).toContain('truth.ndjson');
    expect(a).toEqual(b);
    expect(a['truth.ndjson']).not.toEqual(c['truth.ndjson']);
  });

  it('scores a perfect correlation of its own files at precision = recall = 1', async () => {
    const dir = await generate('d', 9);
    const truth = parseTruthLines(readFileSync(join(dir, 'truth.ndjson'), 'utf8').split('\n'));
    const report = scoreSessions(truth, perfectSessions(dir));
    expect(report.assignment.pairwise.precision).toBe(1);
    expect(report.assignment.pairwise.recall).toBe(1);
    expect(report.assignment.missingRecords).toBe(0);
    expect(report.conclusions.accuracy).toBe(1);
    expect(report.splitMerge.expectedSplitsHonored).toBe(report.splitMerge.expectedSplits);
  });
});
