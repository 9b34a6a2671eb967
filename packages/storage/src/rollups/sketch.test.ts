import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addToSketch,
  emptySketch,
  mergeSketch,
  quantile,
  quantiles,
  sketchCount,
} from './sketch.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

function sketchOf(values: readonly number[]) {
  const sketch = emptySketch();
  for (const value of values) addToSketch(sketch, value, 1);
  return sketch;
}

function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

const value = fc.oneof(
  fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1000, max: 1000 }),
);

describe('sketch', () => {
  it('answers quantiles within 1% relative error of the exact nearest-rank value', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0, 0.5, 0.95, 0.99, 1),
        (values, q) => {
          const exact = exactQuantile(values, q);
          const estimate = quantile(sketchOf(values), q) ?? Number.NaN;
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(Math.abs(exact) * 0.0101 + 1e-300);
        },
      ),
      { numRuns: runs },
    );
  });

  it('retracting values leaves exactly the sketch of the remaining values', () => {
    fc.assert(
      fc.property(fc.array(value), fc.array(value), (kept, retracted) => {
        const sketch = sketchOf([...kept, ...retracted]);
        for (const v of retracted) addToSketch(sketch, v, -1);
        expect(sketch).toEqual(sketchOf(kept));
      }),
      { numRuns: runs },
    );
  });

  it('merging sketches equals sketching the concatenation', () => {
    fc.assert(
      fc.property(fc.array(value), fc.array(value), (a, b) => {
        const merged = sketchOf(a);
        mergeSketch(merged, sketchOf(b));
        expect(merged).toEqual(sketchOf([...a, ...b]));
        expect(sketchCount(merged)).toBe(a.length + b.length);
      }),
      { numRuns: runs },
    );
  });

  it('answers several quantiles at once as each within 1% of the exact nearest-rank value', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 300 }),
        fc.array(value, { maxLength: 50 }),
        fc.array(fc.constantFrom(0, 0.5, 0.95, 0.99, 1), { maxLength: 5 }),
        (kept, retracted, qs) => {
          const sketch = sketchOf([...kept, ...retracted]);
          for (const v of retracted) addToSketch(sketch, v, -1);
          const estimates = quantiles(sketch, qs);
          expect(estimates).toHaveLength(qs.length);
          qs.forEach((q, i) => {
            const exact = exactQuantile(kept, q);
            const estimate = estimates[i] ?? Number.NaN;
            expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(
              Math.abs(exact) * 0.0101 + 1e-300,
            );
          });
        },
      ),
      { numRuns: runs },
    );
  });

  it('has no quantile when empty', () => {
    expect(quantiles(emptySketch(), [0.5, 0.99])).toEqual([null, null]);
    expect(quantile(emptySketch(), 0.5)).toBeNull();
  });
});
