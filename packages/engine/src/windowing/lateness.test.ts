import { describe, expect, it } from 'vitest';
import { TimeWindow } from '../time/time-window.js';
import { cleanupTime, isWindowLate } from './lateness.js';

describe('lateness rules', () => {
  const w = new TimeWindow(0, 1000);
  it('a window is late when end - 1 + lateness <= watermark', () => {
    expect(isWindowLate(w, 0, 998)).toBe(false);
    expect(isWindowLate(w, 0, 999)).toBe(true);
    expect(isWindowLate(w, 500, 1498)).toBe(false);
    expect(isWindowLate(w, 500, 1499)).toBe(true);
  });
  it('cleanup happens at end - 1 + lateness', () => {
    expect(cleanupTime(w, 0)).toBe(999);
    expect(cleanupTime(w, 500)).toBe(1499);
  });
});
