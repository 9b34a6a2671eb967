import { describe, expect, it } from 'vitest';
import { scorePatterns, type ExpectedPatterns } from './patterns.js';

const ring = (instance: string) => ({
  pattern: 'fraud-ring',
  instance,
  conclusion: 'shared_device_ring',
});
const burst = (instance: string) => ({
  pattern: 'card-testing',
  instance,
  conclusion: 'payment_velocity',
});

const expected: ExpectedPatterns[] = [
  { expectedId: 'r1', tags: [ring('ring-001')] },
  { expectedId: 'r2', tags: [ring('ring-001')] },
  { expectedId: 'r3', tags: [ring('ring-002')] },
  { expectedId: 'b1', tags: [burst('burst-1')] },
  { expectedId: 'b2', tags: [burst('burst-1')] },
  { expectedId: 'n1', tags: [] },
  { expectedId: 'n2', tags: [] },
];
// Predicted session per expected session (r3 was never found) and the verdicts each carries.
const majority = new Map([
  ['r1', 'P1'],
  ['r2', 'P2'],
  ['b1', 'P4'],
  ['b2', 'P5'],
  ['n1', 'P6'],
  ['n2', 'P7'],
]);
const verdictsOf = new Map<string, Set<string>>([
  ['P1', new Set(['ok', 'shared_device_ring'])],
  ['P2', new Set(['ok'])],
  ['P4', new Set(['receipt_verify_failed'])],
  ['P5', new Set(['payment_velocity', 'ok'])],
  ['P6', new Set(['shared_device_ring'])],
  ['P7', new Set(['ok'])],
]);

describe('scorePatterns', () => {
  it('counts found, missed and false alarms per pattern, over all verdicts', () => {
    expect(scorePatterns(expected, majority, verdictsOf)).toEqual([
      {
        pattern: 'card-testing',
        conclusion: 'payment_velocity',
        truePositives: 1,
        falsePositives: 0,
        falseNegatives: 1,
        precision: 1,
        recall: 0.5,
        instances: 1,
        instancesDetected: 1,
      },
      {
        pattern: 'fraud-ring',
        conclusion: 'shared_device_ring',
        truePositives: 1,
        falsePositives: 1,
        falseNegatives: 2,
        precision: 0.5,
        recall: 1 / 3,
        instances: 2,
        instancesDetected: 1,
      },
    ]);
  });

  it('reports no precision for a conclusion never drawn, and nothing without patterns', () => {
    const none = new Map<string, Set<string>>();
    expect(scorePatterns(expected, majority, none)[0]?.precision).toBeNull();
    expect(scorePatterns([{ expectedId: 'n1', tags: [] }], majority, verdictsOf)).toEqual([]);
  });
});
