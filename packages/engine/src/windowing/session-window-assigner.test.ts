import { describe, expect, it } from 'vitest';
import { TimeWindow } from '../time/time-window.js';
import { sessionWindows } from './session-window-assigner.js';

const slots = (...pairs: [number, number][]) =>
  pairs.map(([s, e]) => ({ window: new TimeWindow(s, e) }));

describe('sessionWindows', () => {
  const assigner = sessionWindows(3000);

  it('assigns [ts, ts + gap)', () => {
    const w = assigner.assign(1000);
    expect([w.start, w.end]).toEqual([1000, 4000]);
  });

  it('merges nothing when the new window touches no live window', () => {
    const plan = assigner.planMerge(slots([0, 3000], [10000, 13000]), new TimeWindow(3001, 6001));
    expect(plan.count).toBe(0);
    expect(plan.from).toBe(1);
  });

  it('merges a touching window (end === start)', () => {
    const plan = assigner.planMerge(slots([0, 3000]), new TimeWindow(3000, 6000));
    expect(plan).toMatchObject({ from: 0, count: 1 });
    expect(plan.cover.equals(new TimeWindow(0, 6000))).toBe(true);
  });

  it('bridges two windows into one covering window', () => {
    const plan = assigner.planMerge(
      slots([10, 5500], [6000, 10000], [20000, 23000]),
      new TimeWindow(4500, 7500),
    );
    expect(plan).toMatchObject({ from: 0, count: 2 });
    expect(plan.cover.equals(new TimeWindow(10, 10000))).toBe(true);
  });

  it('rejects a non-positive gap with the value in the message', () => {
    expect(() => sessionWindows(0)).toThrow(/got 0/);
  });
});
