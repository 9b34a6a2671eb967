import { describe, expect, it } from 'vitest';
import { recordId } from './record-id.js';

describe('recordId', () => {
  it('is the same for the same source and line, and 16 hex digits', () => {
    expect(recordId('pay_done', '{"a":1}')).toBe(recordId('pay_done', '{"a":1}'));
    expect(recordId('pay_done', '{"a":1}')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps the ids stored by earlier versions (ids name stored records)', () => {
    expect(recordId('pay_done', '{"a":1}')).toBe('b61c695251f6da46');
    expect(recordId('', '')).toBe('5fc0d80bc8f42bd7');
    expect(recordId('s', 'x'.repeat(1000))).toBe('096af322dd2b8017');
  });

  it('differs when the source or a single character differs', () => {
    const ids = new Set([
      recordId('pay_done', '{"a":1}'),
      recordId('pay_page', '{"a":1}'),
      recordId('pay_done', '{"a":2}'),
      recordId('pay_done', '{"a":1} '),
      recordId('pay_done\n{"a":1}', ''),
    ]);
    expect(ids.size).toBe(5);
  });
});
