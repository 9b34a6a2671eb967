import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from './prng.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    expect(draw(Rng.derive(42, 'orders'), 50)).toEqual(draw(Rng.derive(42, 'orders'), 50));
  });

  it('gives different sequences for different seeds or streams', () => {
    const base = draw(Rng.derive(42, 'orders'), 20);
    expect(draw(Rng.derive(43, 'orders'), 20)).not.toEqual(base);
    expect(draw(Rng.derive(42, 'world'), 20)).not.toEqual(base);
  });

  it('keeps int() inside [min, max) for any seed', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        (seed, min, width) => {
          const rng = Rng.derive(seed, 'p');
          for (let i = 0; i < 50; i += 1) {
            const value = rng.int(min, min + width);
            if (value < min || value >= min + width || !Number.isInteger(value)) return false;
          }
          return true;
        },
      ),
      { numRuns: runs },
    );
  });

  it('is roughly uniform: each decile holds 10% ± 1% of 100k draws', () => {
    const rng = Rng.derive(7, 'uniform');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i += 1) buckets[Math.floor(rng.next() * 10)]! += 1;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(1000);
  });

  it('draws log-normal values around the requested median', () => {
    const rng = Rng.derive(9, 'ln');
    const values = Array.from({ length: 20_001 }, () => rng.logNormal(1000, 1)).sort(
      (a, b) => a - b,
    );
    expect(values[10_000]).toBeGreaterThan(950);
    expect(values[10_000]).toBeLessThan(1050);
  });
});
