import { describe, expect, it } from 'vitest';
import { recordId } from './record-id.js';

describe('recordId', () => {
  it('is the same for the same source and line, and 16 hex digits', () => {
    expect(recordId('pay_done', '{"a":1}')).toBe(recordId('pay_done', '{"a":1}'));
    expect(recordId('pay_done', '{"a":1}')).toMatch(/^[0-9a-f]{16}$/);
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
