import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StatementLimits } from './chunks.js';
import { rowBytes, sentRowBytes, statementChunks } from './chunks.js';
import { StatementTooLargeError } from './errors.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

const rowArbitrary = fc.record({
  id: fc.integer(),
  text: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 400 })),
  number: fc.oneof(fc.double(), fc.constant(null)),
});
type Row = typeof rowArbitrary extends fc.Arbitrary<infer T> ? T : never;

const limitsArbitrary = fc.record({
  maxParameters: fc.integer({ min: 1, max: 40 }),
  maxBytes: fc.integer({ min: 1, max: 4000 }),
  maxPacketBytes: fc.constant(Infinity),
});

const sum = (rows: readonly Row[]) => rows.reduce((total, row) => total + rowBytes(row), 0);

describe('statementChunks', () => {
  it('keeps every statement within the limits unless one row alone exceeds them, in order, losing nothing', () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { maxLength: 60 }), limitsArbitrary, (rows, limits) => {
        const perStatement = Math.max(1, Math.floor(limits.maxParameters / 3));
        const chunks = statementChunks(rows, limits, () => 'a row');
        expect(chunks.flat()).toStrictEqual(rows);
        for (const [i, slice] of chunks.entries()) {
          expect(slice.length).toBeGreaterThan(0);
          expect(slice.length).toBeLessThanOrEqual(perStatement);
          if (slice.length > 1) expect(sum(slice)).toBeLessThanOrEqual(limits.maxBytes);
          // Greedy: the next row would not have fitted, so statements are as few as the limits allow.
          const next = chunks[i + 1]?.[0];
          if (next !== undefined) {
            const full = slice.length === perStatement;
            expect(full || sum(slice) + rowBytes(next) > limits.maxBytes).toBe(true);
          }
        }
      }),
      { numRuns: runs },
    );
  });

  it('counts strings as UTF-8 bytes', () => {
    const ascii = rowBytes({ s: 'aaaa' });
    expect(rowBytes({ s: 'aaé' })).toBe(ascii);
    expect(rowBytes({ s: '😀' })).toBe(ascii);
    expect(rowBytes({ s: 'a'.repeat(1000) }) - rowBytes({ s: '' })).toBe(1000);
    expect(rowBytes({ s: 'x', n: 1 })).toBeGreaterThan(rowBytes({ s: 'x' }));
  });

  it('counts what the MySQL client escapes twice when measuring a row as sent', () => {
    const plain = { s: 'abcdef' };
    expect(sentRowBytes(plain)).toBe(rowBytes(plain));
    expect(sentRowBytes({ s: `a"b'c\\d\n` }) - rowBytes({ s: `a"b'c\\d\n` })).toBe(4);
  });

  it('refuses a row the server cannot take even alone, naming it, and writes an oversized row that fits alone', () => {
    const limits: StatementLimits = { maxParameters: 100, maxBytes: 100, maxPacketBytes: 10_000 };
    const big = { id: 'big', s: 'x'.repeat(3000) };
    const quoted = { id: 'quoted', s: '"'.repeat(3500) };
    const small = { id: 'small', s: 'y' };
    expect(statementChunks([small, big, small], limits, (r) => r.id)).toEqual([
      [small],
      [big],
      [small],
    ]);
    // 3,500 bytes estimated, 7,000 once escaped: with the statement text, over the packet.
    expect(rowBytes(quoted)).toBeLessThan(limits.maxPacketBytes);
    expect(() => statementChunks([small, quoted], limits, (r) => `row "${r.id}"`)).toThrow(
      StatementTooLargeError,
    );
    expect(() => statementChunks([quoted], limits, (r) => `row "${r.id}"`)).toThrow(
      /Cannot write row "quoted": it takes about 7\d{3} bytes .*max_allowed_packet = 10000/u,
    );
  });
});
