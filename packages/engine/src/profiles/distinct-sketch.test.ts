import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DistinctSketch, EXACT_LIMIT, valueHash } from './distinct-sketch.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

const sketchOf = (values: readonly string[]) => {
  const sketch = new DistinctSketch();
  for (const v of values) sketch.add(valueHash(v));
  return sketch;
};

describe('DistinctSketch', () => {
  it('is exact up to EXACT_LIMIT distinct values', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 200 }), (values) => {
        fc.pre(new Set(values).size <= EXACT_LIMIT);
        expect(sketchOf(values).estimate()).toBe(new Set(values).size);
      }),
      { numRuns: runs },
    );
  });

  it('merges to the same estimate in any grouping and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 3000 }).map(String), { maxLength: 400 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (groups) => {
          const forward = new DistinctSketch();
          for (const g of groups) forward.merge(sketchOf(g));
          const backward = new DistinctSketch();
          for (const g of [...groups].reverse()) backward.merge(sketchOf(g));
          const flat = sketchOf(groups.flat());
          expect(forward.estimate()).toBe(flat.estimate());
          expect(backward.estimate()).toBe(flat.estimate());

          expect(
            DistinctSketch.restore(JSON.parse(JSON.stringify(flat.snapshot()))).estimate(),
          ).toBe(flat.estimate());
        },
      ),
      { numRuns: Math.max(20, Math.floor(runs / 5)) },
    );
  });

  it('merges HyperLogLog registers to exactly those of adding every value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ from: fc.nat(5_000), size: fc.integer({ min: 0, max: 3_000 }) }), {
          minLength: 2,
          maxLength: 5,
          size: 'max',
        }),
        (ranges) => {
          const groups = ranges.map(({ from, size }) =>
            Array.from({ length: size }, (_, i) => `v${String(from + i)}`),
          );
          const merged = new DistinctSketch();
          for (const g of groups) merged.merge(sketchOf(g));
          const flat = sketchOf(groups.flat());
          if (flat.isExact) expect(merged.estimate()).toBe(flat.estimate());
          else expect(merged.snapshot()).toEqual(flat.snapshot());
        },
      ),
      { numRuns: Math.max(20, Math.floor(runs / 5)) },
    );
  });

  it.each([100, 1_000, 10_000, 100_000])(
    'estimates %i distinct values within 3 standard errors (4.9 percent)',
    (n) => {
      const values = Array.from({ length: n }, (_, i) => `card-${String(i * 7919)}`);
      const estimate = sketchOf(values).estimate();
      expect(Math.abs(estimate - n) / n).toBeLessThan(0.049);
    },
  );

  it('hashes values of different types apart', () => {
    expect(valueHash('1')).not.toBe(valueHash(1));
    expect(valueHash(true)).not.toBe(valueHash('true'));
  });
});
