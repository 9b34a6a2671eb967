import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize } from './stats.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

describe('summarize', () => {
  it('takes the middle value of an odd count and keeps the run order', () => {
    expect(summarize([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30, runs: [30, 10, 20] });
  });

  it('averages the two middle values of an even count', () => {
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('rejects an empty list and non-finite values', () => {
    expect(() => summarize([])).toThrow(/at least one run/);
    expect(() => summarize([1, Number.NaN])).toThrow(/finite/);
  });

  it('has min <= median <= max and as many values below the median as above', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1 }), (values) => {
        const s = summarize(values);
        expect(s.min).toBe(Math.min(...values));
        expect(s.max).toBe(Math.max(...values));
        expect(s.min <= s.median && s.median <= s.max).toBe(true);
        const below = values.filter((v) => v < s.median).length;
        const above = values.filter((v) => v > s.median).length;
        expect(below).toBeLessThanOrEqual(values.length / 2);
        expect(above).toBeLessThanOrEqual(values.length / 2);
      }),
      { numRuns: runs },
    );
  });
});
