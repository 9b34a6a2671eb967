import { describe, expect, it } from 'vitest';
import { formatAge, shouldRefresh } from './live-refresh';

const base = { live: true, visible: true, dataAt: 1_000_000, intervalMs: 30_000 };

describe('shouldRefresh', () => {
  it('refreshes a visible live page once its data is an interval old', () => {
    expect(shouldRefresh({ ...base, now: base.dataAt + 29_999 })).toBe(false);
    expect(shouldRefresh({ ...base, now: base.dataAt + 30_000 })).toBe(true);
  });

  it('never refreshes a hidden tab, however old its data', () => {
    expect(shouldRefresh({ ...base, visible: false, now: base.dataAt + 3_600_000 })).toBe(false);
  });

  it('never refreshes once the manager turned live refresh off', () => {
    expect(shouldRefresh({ ...base, live: false, now: base.dataAt + 3_600_000 })).toBe(false);
  });
});

describe('formatAge', () => {
  it('says how old the data is in the unit a reader expects', () => {
    expect(formatAge(1_200)).toBe('just now');
    expect(formatAge(45_000)).toBe('45 s ago');
    expect(formatAge(180_000)).toBe('3 min ago');
  });
});
