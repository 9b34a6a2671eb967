import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../errors.js';
import { runConformance } from './run-conformance.js';
import { parseScenario } from './scenario-schema.js';

const session = {
  name: 'x',
  operator: 'sessionWindow',
  config: { gapMs: 10, trigger: { type: 'eventTime' } },
  steps: [{ element: { key: 'k', value: 1, ts: 0 } }],
};

describe('parseScenario', () => {
  it('applies the README defaults', () => {
    const parsed = parseScenario(session);
    expect(parsed.operator === 'sessionWindow' && parsed.config.allowedLatenessMs).toBe(0);
  });

  it('names the path and the problem of every error', () => {
    const bad = {
      ...session,
      steps: [{ element: { key: 'k', value: 1, ts: 1.5 } }, { watermrk: 3 }],
    };
    expect(() => parseScenario(bad, 'case.json')).toThrow(ScenarioError);
    try {
      parseScenario(bad, 'case.json');
    } catch (error) {
      expect((error as Error).message).toMatch(/^case\.json is not a valid conformance scenario/);
      expect((error as Error).message).toContain('steps[1]');
      expect((error as Error).message).toContain('steps[0]');
    }
  });

  it('rejects an unknown operator and an unknown trigger type', () => {
    expect(() => parseScenario({ ...session, operator: 'tumbling' })).toThrow(/operator/);
    expect(() =>
      parseScenario({ ...session, config: { gapMs: 10, trigger: { type: 'x' } } }),
    ).toThrow(/config\.trigger\.type/);
  });

  it('rejects elements of undeclared watermark partitions', () => {
    const wm = {
      name: 'w',
      operator: 'watermark',
      config: { maxOutOfOrdernessMs: 0, idleTimeoutMs: 10, partitions: ['p0'] },
      steps: [{ element: { partition: 'p9', ts: 1 } }],
    };
    expect(() => parseScenario(wm)).toThrow(
      /steps\[0\]\.element\.partition: unknown partition "p9"/,
    );
  });

  it('reports interval bounds that join nothing when running', () => {
    const join = {
      name: 'j',
      operator: 'intervalJoin',
      config: { lowerMs: 3, upperMs: 1 },
      steps: [],
    };
    expect(() => runConformance(join)).toThrow(/lower 3 and upper 1/);
  });
});
