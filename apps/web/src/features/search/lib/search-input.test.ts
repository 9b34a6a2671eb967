import { describe, expect, it } from 'vitest';
import { equalityCandidates, parseSearchInput } from './search-input';

describe('parseSearchInput', () => {
  it('treats a bare value as a business key or any-field value', () => {
    expect(parseSearchInput('  O1764000000123 ')).toEqual({
      kind: 'value',
      value: 'O1764000000123',
    });
    expect(parseSearchInput('')).toEqual({ kind: 'empty' });
  });

  it('reads field=value, field:value and prefixes', () => {
    expect(parseSearchInput('trans_id=T9')).toEqual({
      kind: 'field',
      field: 'trans_id',
      op: '=',
      value: 'T9',
    });
    expect(parseSearchInput('device_id: D1')).toEqual({
      kind: 'field',
      field: 'device_id',
      op: '=',
      value: 'D1',
    });
    expect(parseSearchInput('ip=10.1.*')).toEqual({
      kind: 'field',
      field: 'ip',
      op: 'prefix',
      value: '10.1.',
    });
  });

  it('reads numeric comparisons, and falls back to a value when the number is not one', () => {
    expect(parseSearchInput('amount_cents>=600')).toEqual({
      kind: 'field',
      field: 'amount_cents',
      op: '>=',
      value: 600,
    });
    expect(parseSearchInput('amount>abc')).toEqual({ kind: 'value', value: 'amount>abc' });
  });

  it('does not mistake a URL-like or spaced value for a field query', () => {
    expect(parseSearchInput('hello world')).toEqual({ kind: 'value', value: 'hello world' });
  });
});

describe('equalityCandidates', () => {
  it('tries numeric-looking values as both string and number', () => {
    expect(equalityCandidates('600')).toEqual(['600', 600]);
    expect(equalityCandidates('0600')).toEqual(['0600']);
    expect(equalityCandidates('O1')).toEqual(['O1']);
  });
});
