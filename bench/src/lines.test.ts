import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlank, splitLines } from './lines.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

describe('splitLines', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r, as Java readLine does', () => {
    expect(splitLines(['a\nb\r\nc\rd'])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps a \\r\\n split across chunks as one terminator', () => {
    expect(splitLines(['a\r', '\nb'])).toEqual(['a', 'b']);
    expect(splitLines(['a\r', 'b'])).toEqual(['a', 'b']);
  });

  it('counts text after the last terminator only when it is not empty', () => {
    expect(splitLines(['a\n'])).toEqual(['a']);
    expect(splitLines(['a\n\n'])).toEqual(['a', '']);
    expect(splitLines(['a\r'])).toEqual(['a']);
    expect(splitLines([''])).toEqual([]);
  });

  it('gives the same lines however the text is chunked', () => {
    const text = fc.stringMatching(/^[ab\r\n]{0,40}$/);
    fc.assert(
      fc.property(text, fc.array(fc.nat(40)), (s, cuts) => {
        const points = [...new Set(cuts.filter((c) => c <= s.length))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, i) => s.slice(p, points[i] ?? s.length));
        expect(splitLines(chunks)).toEqual(splitLines([s]));
      }),
      { numRuns: runs },
    );
  });
});

describe('isBlank', () => {
  it('is true for empty and whitespace-only lines only', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank(' \t')).toBe(true);
    expect(isBlank(' {} ')).toBe(false);
  });
});
