import { describe, expect, it } from 'vitest';
import { TimeWindow } from './time-window.js';

describe('TimeWindow', () => {
  it('has maxTimestamp end - 1', () => {
    expect(new TimeWindow(0, 3000).maxTimestamp).toBe(2999);
  });

  it('intersects overlapping and touching windows but not separated ones', () => {
    const w = new TimeWindow(0, 10);
    expect(w.intersects(new TimeWindow(5, 15))).toBe(true);
    expect(w.intersects(new TimeWindow(10, 20))).toBe(true);
    expect(new TimeWindow(10, 20).intersects(w)).toBe(true);
    expect(w.intersects(new TimeWindow(11, 20))).toBe(false);
  });

  it('covers two windows with the smallest window containing both', () => {
    const c = new TimeWindow(5, 8).cover(new TimeWindow(0, 6));
    expect([c.start, c.end]).toEqual([0, 8]);
    expect(c.equals(new TimeWindow(0, 8))).toBe(true);
    expect(c.equals(new TimeWindow(0, 9))).toBe(false);
  });
});
