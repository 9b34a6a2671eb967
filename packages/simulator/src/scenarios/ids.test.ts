import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permutedId } from './ids.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

describe('permutedId', () => {
  it('gives distinct ids of the requested length to distinct indexes below 10^length', () => {
    // A bijection mod 10^length: indexes at or beyond 10^length wrap around by design.
    const indexesAndLength = fc.integer({ min: 6, max: 13 }).chain((length) =>
      fc.tuple(
        fc.uniqueArray(fc.integer({ min: 0, max: Math.min(10 ** length - 1, 1_000_000_000) }), {
          minLength: 2,
          maxLength: 200,
        }),
        fc.constant(length),
      ),
    );
    fc.assert(
      fc.property(indexesAndLength, ([indexes, length]) => {
        const ids = indexes.map((index) => permutedId(index, length, 3_141_592_653));
        return (
          ids.every((id) => id.length === length && /^\d+$/.test(id)) &&
          new Set(ids).size === ids.length
        );
      }),
      { numRuns: runs },
    );
  });

  it('wraps around at 10^length, so callers must keep indexes below it', () => {
    expect(permutedId(1_000_000, 6, 3_141_592_653)).toBe(permutedId(0, 6, 3_141_592_653));
  });

  it('is a pure function of index, length and salt', () => {
    expect(permutedId(0, 10, 17)).toBe('0000000017');
    expect(permutedId(1, 10, 17)).toBe('0007654338');
    expect(permutedId(5, 4, 0)).toBe(permutedId(5, 4, 0));
  });
});
