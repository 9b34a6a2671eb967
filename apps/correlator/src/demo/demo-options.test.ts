import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseDemoOptions } from './demo-options.js';

const base = { orders: '200', seed: '1', port: '3000' };

describe('parseDemoOptions', () => {
  it('runs live traffic at 60 orders a minute until stopped by default', () => {
    const options = parseDemoOptions(base);
    expect(options.rate).toBe(60);
    expect(options.durationSeconds).toBeNull();
  });

  it('takes --rate 0 (no live traffic) and a --duration in seconds', () => {
    const options = parseDemoOptions({ ...base, rate: '0', duration: '45' });
    expect(options.rate).toBe(0);
    expect(options.durationSeconds).toBe(45);
  });

  it.each([
    [{ rate: '-1' }, '--rate'],
    [{ rate: 'fast' }, '--rate'],
    [{ rate: '6001' }, '--rate'],
    [{ duration: '0' }, '--duration'],
  ])('refuses %o naming %s', (flags, flag) => {
    expect(() => parseDemoOptions({ ...base, ...flags })).toThrow(UsageError);
    expect(() => parseDemoOptions({ ...base, ...flags })).toThrow(flag);
  });
});
