import fc from 'fast-check';
import type { Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import type { TruthSession } from '../truth.js';
import { scoreSessions } from './score.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

/** Records r0..r(n-1); `expected[i]` and `predicted[i]` are the cluster of record i (-1: none). */
const clusterings = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    expected: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
    predicted: fc.array(fc.integer({ min: -1, max: 5 }), { minLength: n, maxLength: n }),
  }),
);

function truthOf(expected: readonly number[]): TruthSession[] {
  const groups = new Map<number, string[]>();
  expected.forEach((cluster, i) =>
    groups.set(cluster, [...(groups.get(cluster) ?? []), `r${String(i)}`]),
  );
  return [...groups].map(([cluster, records]) => ({
    session: `t${String(cluster)}`,
    scenario: 'x',
    kind: 'session',
    businessKey: null,
    conclusion: 'ok',
    severity: null,
    records,
    faults: [],
    flags: { split: false, orphan: false, deadLetter: false, late: [], duplicated: [], skewed: [] },
    expected: [{ id: `t${String(cluster)}`, records, conclusion: 'ok', severity: null }],
  }));
}

function sessionsOf(predicted: readonly number[]): Session[] {
  const groups = new Map<number, string[]>();
  predicted.forEach((cluster, i) => {
    if (cluster >= 0) groups.set(cluster, [...(groups.get(cluster) ?? []), `r${String(i)}`]);
  });
  return [...groups].map(([cluster, records]) => ({
    sessionId: `p${String(cluster)}`,
    templateId: 'x',
    templateVersion: 1,
    businessKey: '',
    version: 1,
    status: 'closed',
    fireReason: 'final',
    start: 0,
    end: 0,
    nodes: [
      {
        node: 'n',
        kind: 'baseline',
        records: records.map((record) => ({
          recordId: record,
          source: 's',
          eventTime: 0,
          raw: { _sim: { session: '', record } },
          fields: {},
          late: false,
        })),
      },
    ],
    fields: {},
    verdicts: [],
    verdict: null,
    mergedInto: null,
  }));
}

describe('scoreSessions pairwise counts', () => {
  it('match a naive enumeration of all record pairs', () => {
    fc.assert(
      fc.property(clusterings, ({ expected, predicted }) => {
        let truePairs = 0;
        let predictedPairs = 0;
        let expectedPairs = 0;
        for (let i = 0; i < expected.length; i += 1) {
          for (let j = i + 1; j < expected.length; j += 1) {
            const sameExpected = expected[i] === expected[j];
            const samePredicted = predicted[i] !== -1 && predicted[i] === predicted[j];
            if (sameExpected) expectedPairs += 1;
            if (samePredicted) predictedPairs += 1;
            if (sameExpected && samePredicted) truePairs += 1;
          }
        }
        const report = scoreSessions(truthOf(expected), sessionsOf(predicted));
        expect(report.assignment.pairwise).toMatchObject({
          truePairs,
          predictedPairs,
          expectedPairs,
        });
        expect(report.assignment.missingRecords).toBe(predicted.filter((p) => p === -1).length);
      }),
      { numRuns: runs },
    );
  });
});
