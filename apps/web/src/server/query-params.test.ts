import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseQuery, singleValues } from './query-params';

const Schema = z.object({ range: z.enum(['7d', '30d']).default('30d'), q: z.string().optional() });

describe('singleValues', () => {
  it('keeps one value per parameter, from a URL or from Next’s searchParams object', () => {
    expect(singleValues(new URLSearchParams('range=7d&q=a+b'))).toEqual({
      ok: true,
      value: { range: '7d', q: 'a b' },
    });
    expect(singleValues({ range: '7d', q: undefined })).toEqual({
      ok: true,
      value: { range: '7d' },
    });
  });

  it('names a parameter given twice, with both values, in either form', () => {
    const expected = {
      ok: false,
      issues: [{ field: 'range', reason: 'given 2 times ("7d", "30d"): give it once' }],
    };
    expect(singleValues(new URLSearchParams('range=7d&range=30d&q=x'))).toEqual(expected);
    expect(singleValues({ range: ['7d', '30d'], q: 'x' })).toEqual(expected);
  });
});

describe('parseQuery', () => {
  it('applies the schema, defaults included, and drops unknown parameters', () => {
    expect(parseQuery(Schema, new URLSearchParams('other=1'))).toEqual({
      ok: true,
      value: { range: '30d' },
    });
  });

  it('names the parameter the schema refuses, with its reason', () => {
    const parsed = parseQuery(Schema, new URLSearchParams('range=2w'));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues.map((i) => i.field)).toEqual(['range']);
  });

  it('refuses a repeated parameter even when each value alone is valid', () => {
    const parsed = parseQuery(Schema, { range: ['7d', '7d'] });
    expect(!parsed.ok && parsed.issues[0]?.field).toBe('range');
  });
});
