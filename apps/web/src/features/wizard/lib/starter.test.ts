import { validateTemplate } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { addExtractedField } from './wizard-steps';
import { starterTemplate } from './starter';

describe('starterTemplate', () => {
  it('needs only the business key extracted to validate', () => {
    const starter = starterTemplate(Date.UTC(2026, 10, 24));
    const before = validateTemplate(starter);
    expect(before.ok).toBe(false);
    const withKey = addExtractedField(starter, 'checkout', {
      path: 'order_id',
      value: 'O1',
      type: 'string',
    });
    const after = validateTemplate(withKey);
    expect(after.ok ? [] : after.errors).toEqual([]);
  });
});
