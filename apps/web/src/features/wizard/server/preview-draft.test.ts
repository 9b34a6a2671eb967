import { validateTemplate } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { addExtractedField } from '../lib/wizard-steps';
import { starterTemplate } from '../lib/starter';
import { previewDraft } from './preview-draft';

const T0 = Date.UTC(2026, 10, 24, 3, 0, 0);

// The worker loads the workspace packages' dist/ builds (turbo builds them before tests).
describe('previewDraft (engine in a worker thread)', () => {
  it('correlates the samples under the draft and returns the trees and dead letters', async () => {
    const draft = addExtractedField(starterTemplate(T0), 'checkout', {
      path: 'order_id',
      value: 'O1',
      type: 'string',
    });
    const valid = validateTemplate(draft);
    if (!valid.ok) throw new Error(JSON.stringify(valid.errors));
    const outcome = await previewDraft(valid.template, [
      { source: 'checkout', raw: JSON.stringify({ ts: T0, order_id: 'O1' }) },
      { source: 'checkout', raw: JSON.stringify({ ts: T0 + 5, order_id: 'O2' }) },
      { source: 'checkout', raw: '{"ts":' },
      { source: 'nowhere', raw: '{}' },
    ]);
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.model.trees.map((t) => t.businessKey)).toEqual(['O1', 'O2']);
    expect(outcome.model.trees[0]?.nodes.map((n) => [n.id, n.status])).toEqual([
      ['checkout', 'present'],
    ]);
    expect(outcome.model.deadLetters.map((d) => d.source)).toEqual(['checkout', 'nowhere']);
    expect(outcome.model.deadLetters[1]?.reason).toMatch(/unknown source "nowhere"/);
  });
});
