import { describe, expect, it } from 'vitest';
import { purchaseTemplate } from '../../test/e2e/seed';
import { parseStoredTemplate } from './stored-template';

describe('parseStoredTemplate', () => {
  it('parses a stored definition once and returns the same frozen template for equal content', () => {
    const stored = JSON.parse(JSON.stringify(purchaseTemplate())) as unknown;
    const first = parseStoredTemplate(stored);
    const again = parseStoredTemplate(JSON.parse(JSON.stringify(stored)) as unknown);
    expect(first?.id).toBe(purchaseTemplate().id);
    expect(again).toBe(first);
    expect(Object.isFrozen(first?.baseline.nodes)).toBe(true);
  });

  it('treats an edited definition as a new template, not the cached one', () => {
    const stored = JSON.parse(JSON.stringify(purchaseTemplate())) as { description?: string };
    const before = parseStoredTemplate(stored);
    const edited = parseStoredTemplate({ ...stored, description: 'edited draft' });
    expect(edited).not.toBe(before);
    expect(edited?.description).toBe('edited draft');
  });

  it('answers null for a missing or invalid definition', () => {
    expect(parseStoredTemplate(undefined)).toBeNull();
    expect(parseStoredTemplate({ id: 'x' })).toBeNull();
    expect(parseStoredTemplate({ id: 'x' })).toBeNull();
  });
});
