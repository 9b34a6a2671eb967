import type { Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import type { TruthSession } from '../truth.js';
import { formatScoreReport } from './format.js';
import { scoreSessions } from './score.js';

function truthEntry(
  session: string,
  parts: { id: string; records: string[]; conclusion: string | null }[],
  kind: TruthSession['kind'] = 'session',
): TruthSession {
  const records = kind === 'session' ? parts.flatMap((p) => p.records) : (parts[0]?.records ?? []);
  return {
    session,
    scenario: 'in-app-purchase',
    kind,
    businessKey: null,
    conclusion: parts.at(-1)?.conclusion ?? null,
    severity: null,
    records,
    faults: [],
    flags: {
      split: parts.length > 1,
      orphan: kind === 'orphan',
      deadLetter: kind === 'dead_letter',
      late: [],
      duplicated: [],
      skewed: [],
    },
    expected: kind === 'session' ? parts.map((p) => ({ ...p, severity: null })) : [],
  };
}

const truth: TruthSession[] = [
  truthEntry('s1', [{ id: 's1', records: ['a1', 'a2', 'a3'], conclusion: 'ok' }]),
  truthEntry('s2', [{ id: 's2', records: ['b1', 'b2'], conclusion: 'paid_not_delivered' }]),
  truthEntry('s3', [
    { id: 's3#1', records: ['c1', 'c2'], conclusion: 'abandoned_at_pay_page' },
    { id: 's3#2', records: ['c3', 'c4'], conclusion: 'ok' },
  ]),
  truthEntry('o1', [{ id: 'o1', records: ['x1'], conclusion: null }], 'orphan'),
  truthEntry('d1', [{ id: 'd1', records: ['y1'], conclusion: null }], 'dead_letter'),
];

function session(
  id: string,
  conclusion: string | null,
  records: (string | null)[],
  extra: Partial<Session> = {},
): Session {
  const verdict =
    conclusion === null
      ? null
      : { conclusion, label: conclusion, severity: 'info' as const, explanation: '', inputs: {} };
  return {
    sessionId: id,
    templateId: 'in-app-purchase',
    templateVersion: 1,
    businessKey: id,
    version: 1,
    status: 'closed',
    fireReason: 'final',
    start: 0,
    end: 0,
    nodes: [
      {
        node: 'n',
        kind: 'baseline',
        records: records.map((record, i) => ({
          recordId: `${id}-${String(i)}`,
          source: 's',
          eventTime: 0,
          raw: record === null ? { plain: true } : { _sim: { session: 'hidden', record } },
          fields: {},
          late: false,
        })),
      },
    ],
    fields: {},
    verdicts: verdict === null ? [] : [verdict],
    verdict,
    mergedInto: null,
    ...extra,
  };
}

const perfect = [
  session('P1', 'ok', ['a1', 'a2', 'a3']),
  session('P2', 'paid_not_delivered', ['b1', 'b2']),
  session('P3', 'abandoned_at_pay_page', ['c1', 'c2']),
  session('P4', 'ok', ['c3', 'c4']),
];

describe('scoreSessions', () => {
  it('gives precision = recall = 1 and a diagonal confusion matrix for the perfect answer', () => {
    const report = scoreSessions(truth, perfect);
    expect(report.assignment.pairwise).toEqual({
      precision: 1,
      recall: 1,
      f1: 1,
      truePairs: 6,
      predictedPairs: 6,
      expectedPairs: 6,
    });
    expect(report.splitMerge).toEqual({
      splitErrors: 0,
      extraFragments: 0,
      mergeErrors: 0,
      expectedSplits: 1,
      expectedSplitsHonored: 1,
      expectedSplitsMerged: 0,
    });
    expect(report.orphans).toEqual({ expected: 1, unattached: 1, attached: 0 });
    expect(report.deadLetters).toEqual({ expected: 1, inSessions: 0 });
    expect(report.conclusions.counts).toEqual({
      ok: { ok: 2 },
      paid_not_delivered: { paid_not_delivered: 1 },
      abandoned_at_pay_page: { abandoned_at_pay_page: 1 },
    });
    expect(report.conclusions.accuracy).toBe(1);
    expect(report.totals).toEqual({
      truthSessions: 3,
      expectedSessions: 4,
      truthRecords: 11,
      predictedSessions: 4,
      predictedRecords: 9,
    });
  });

  it('counts a split, an attached orphan and an unsplit resume with exact numbers', () => {
    const report = scoreSessions(truth, [
      session('P1', 'ok', ['a1', 'a2']),
      session('P1b', 'callback_missing', ['a3']),
      session('P2', 'paid_not_delivered', ['b1', 'b2', 'x1']),
      session('P3', 'ok', ['c1', 'c2', 'c3', 'c4']),
    ]);
    expect(report.assignment.pairwise.truePairs).toBe(4);
    expect(report.assignment.pairwise.predictedPairs).toBe(10);
    expect(report.assignment.pairwise.precision).toBeCloseTo(0.4, 12);
    expect(report.assignment.pairwise.recall).toBeCloseTo(4 / 6, 12);
    expect(report.splitMerge).toEqual({
      splitErrors: 1,
      extraFragments: 1,
      mergeErrors: 0,
      expectedSplits: 1,
      expectedSplitsHonored: 0,
      expectedSplitsMerged: 1,
    });
    expect(report.orphans).toEqual({ expected: 1, unattached: 0, attached: 1 });
    expect(report.conclusions.counts['abandoned_at_pay_page']).toEqual({ ok: 1 });
    expect(report.conclusions.correct).toBe(3);
  });

  it('counts a merge of two true sessions and its wrong conclusion', () => {
    const report = scoreSessions(truth, [
      session('P1', 'ok', ['a1', 'a2', 'a3', 'b1', 'b2']),
      session('P3', 'abandoned_at_pay_page', ['c1', 'c2']),
      session('P4', 'ok', ['c3', 'c4']),
    ]);
    expect(report.splitMerge.mergeErrors).toBe(1);
    expect(report.assignment.pairwise.precision).toBe(0.5);
    expect(report.assignment.pairwise.recall).toBe(1);
    expect(report.conclusions.counts['paid_not_delivered']).toEqual({ ok: 1 });
  });

  it('keeps the highest version, ignores merged-away sessions, and counts missing, duplicate and unknown records', () => {
    const report = scoreSessions(truth, [
      session('P1', 'ok', ['a1', 'a2', 'a3', 'b1', 'b2'], { version: 1 }),
      session('P1', 'ok', ['a1', 'a2', 'a2', null], { version: 2 }),
      session('Pgone', 'ok', ['b1', 'b2'], { mergedInto: 'P1', version: 3 }),
      session('P9', null, ['y1']),
    ]);
    expect(report.totals.predictedSessions).toBe(2);
    expect(report.assignment.duplicateCounted).toBe(1);
    expect(report.assignment.unknownRecords).toBe(1);
    expect(report.assignment.missingRecords).toBe(7);
    expect(report.assignment.coverage).toBeCloseTo(2 / 9, 12);
    expect(report.deadLetters.inSessions).toBe(1);
    expect(report.conclusions.counts['paid_not_delivered']).toEqual({ '(missing)': 1 });
    expect(report.conclusions.predicted).toEqual(['ok', '(missing)']);
  });

  it('renders the report with the matrix rows and the figures', () => {
    const text = formatScoreReport(scoreSessions(truth, perfect));
    expect(text).toContain('precision 100.00%  recall 100.00%');
    expect(text).toMatch(/paid_not_delivered\s+0\s+0\s+1/);
    expect(text).toContain('1 split as expected');
  });
});

describe('scoreSessions with entity patterns', () => {
  it('reports each pattern conclusion from every verdict of the predicted sessions', () => {
    const tag = { pattern: 'fraud-ring', instance: 'ring-001', conclusion: 'shared_device_ring' };
    const withRing = truth.map((entry) =>
      entry.session === 's1' ? { ...entry, patterns: [tag] } : entry,
    );
    const ringVerdict = {
      conclusion: 'shared_device_ring',
      label: 'ring',
      severity: 'high' as const,
      explanation: '',
      inputs: {},
    };
    const found = perfect.map((s) =>
      s.sessionId === 'P1' ? { ...s, verdicts: [...s.verdicts, ringVerdict] } : s,
    );
    const report = scoreSessions(withRing, found);
    expect(report.patterns).toEqual([
      expect.objectContaining({
        pattern: 'fraud-ring',
        truePositives: 1,
        falsePositives: 0,
        falseNegatives: 0,
        recall: 1,
      }),
    ]);
    expect(report.conclusions.accuracy).toBe(1);
    expect(formatScoreReport(report)).toContain(
      'fraud-ring → shared_device_ring: precision 100.00%  recall 100.00%  (1 found, 0 missed, 0 false alarms); 1/1 instances seen',
    );
    expect(scoreSessions(truth, perfect).patterns).toEqual([]);
    expect(formatScoreReport(scoreSessions(truth, perfect))).not.toContain('entity patterns');
  });
});
