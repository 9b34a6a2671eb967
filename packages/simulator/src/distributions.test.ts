import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diurnalTimes, weighted, zipf } from './distributions.js';
import { Rng } from './prng.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const HOUR = 3_600_000;

describe('zipf', () => {
  it('makes rank 0 about 2^s times as frequent as rank 1', () => {
    const sample = zipf(1000, 1);
    const rng = Rng.derive(1, 'zipf');
    const counts = new Map<number, number>();
    for (let i = 0; i < 200_000; i += 1) {
      const rank = sample(rng);
      counts.set(rank, (counts.get(rank) ?? 0) + 1);
    }
    const ratio = (counts.get(0) ?? 0) / (counts.get(1) ?? 1);
    expect(ratio).toBeGreaterThan(1.85);
    expect(ratio).toBeLessThan(2.15);
    expect(Math.max(...counts.keys())).toBeLessThan(1000);
  });
});

describe('weighted', () => {
  it('never returns a zero-weight key and follows the weights', () => {
    const pick = weighted({ a: 3, b: 1, never: 0 });
    const rng = Rng.derive(2, 'w');
    const counts: Record<string, number> = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i += 1) counts[pick(rng)]! += 1;
    expect(counts['never']).toBe(0);
    expect(counts['a']! / counts['b']!).toBeGreaterThan(2.8);
    expect(counts['a']! / counts['b']!).toBeLessThan(3.2);
  });
});

describe('diurnalTimes', () => {
  it('yields sorted times inside the span for any count and span', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 72 }),
        fc.nat(),
        (count, hours, seed) => {
          const start = Date.UTC(2026, 0, 1);
          const at = diurnalTimes(count, start, hours * HOUR, [1, 2, 3], 0);
          const rng = Rng.derive(seed, 't');
          let previous = start;
          for (let i = 0; i < count; i += 1) {
            const t = at(i, rng);
            if (t < previous || t >= start + hours * HOUR) return false;
            previous = t;
          }
          return true;
        },
      ),
      { numRuns: runs },
    );
  });

  it('puts more sessions in heavy hours than in light ones', () => {
    const weights = Array.from({ length: 24 }, (_, hour) => (hour === 20 ? 4 : 1));
    const start = Date.UTC(2026, 0, 1);
    const at = diurnalTimes(27_000, start, 24 * HOUR, weights, 0);
    const rng = Rng.derive(3, 'd');
    const perHour = new Array<number>(24).fill(0);
    for (let i = 0; i < 27_000; i += 1) perHour[Math.floor((at(i, rng) - start) / HOUR)]! += 1;
    expect(perHour[20]).toBeGreaterThan(3500);
    expect(perHour[3]).toBeLessThan(1100);
  });
});
