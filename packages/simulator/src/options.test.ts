import { describe, expect, it } from 'vitest';
import { InvalidFaultSpecError, InvalidOptionError } from './errors.js';
import { resolveOptions } from './options.js';

const base = { scenario: 'in-app-purchase', orders: 10, seed: 1 };

describe('resolveOptions', () => {
  it('fills defaults: every fault at its default rate, a fixed start, 24 hours', () => {
    const options = resolveOptions(base);
    expect(options.start).toBe(Date.UTC(2026, 10, 24));
    expect(options.spanHours).toBe(24);
    expect(options.faults['paid-not-delivered']).toBe(0.01);
    expect(options.faults['late-data']).toBe(0.005);
  });

  it('overrides only the named faults', () => {
    const options = resolveOptions({ ...base, faults: 'late-data=0.2, malformed=0' });
    expect(options.faults['late-data']).toBe(0.2);
    expect(options.faults['malformed']).toBe(0);
    expect(options.faults['double-delivery']).toBe(0.005);
  });

  it('turns every fault off with "none"', () => {
    const options = resolveOptions({ ...base, faults: 'none' });
    expect(Object.values(options.faults).every((rate) => rate === 0)).toBe(true);
  });

  it('rejects unknown faults, naming the known ones', () => {
    expect(() => resolveOptions({ ...base, faults: 'gremlins=0.1' })).toThrow(
      InvalidFaultSpecError,
    );
    expect(() => resolveOptions({ ...base, faults: 'gremlins=0.1' })).toThrow(
      /known faults: .*late-data/,
    );
  });

  it('rejects rates outside [0, 1] and outcome rates adding up above 1', () => {
    expect(() => resolveOptions({ ...base, faults: 'late-data=1.5' })).toThrow(/\[0, 1\], got 1.5/);
    expect(() =>
      resolveOptions({ ...base, faults: 'abandon-at-pay-page=0.7,paid-not-delivered=0.5' }),
    ).toThrow(/add up to 1\.2/);
    expect(() => resolveOptions({ ...base, faults: 'late-data' })).toThrow(
      /cannot read "late-data"/,
    );
  });

  it('rejects bad scenarios, orders and seeds with the offending value', () => {
    expect(() => resolveOptions({ ...base, scenario: 'pizza' })).toThrow(InvalidOptionError);
    expect(() => resolveOptions({ ...base, orders: 0 })).toThrow(/got 0/);
    expect(() => resolveOptions({ ...base, seed: -1 })).toThrow(/got -1/);
  });
});
