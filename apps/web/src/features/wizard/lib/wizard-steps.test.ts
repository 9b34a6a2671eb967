import { describe, expect, it } from 'vitest';
import { addExtractedField, fieldNameFor, issuesForStep, samplePaths } from './wizard-steps';

describe('samplePaths', () => {
  it('lists every leaf as a dot path with a suggested type', () => {
    const raw = {
      ts: 1764000000123,
      order_id: 'O1',
      account: { id: 'A1', device_id: 'D1' },
      paid: true,
      at: '2026-11-24T03:00:00Z',
      hits: ['pep'],
    };
    expect(samplePaths(raw)).toEqual([
      { path: 'ts', value: 1764000000123, type: 'timestamp' },
      { path: 'order_id', value: 'O1', type: 'string' },
      { path: 'account.id', value: 'A1', type: 'string' },
      { path: 'account.device_id', value: 'D1', type: 'string' },
      { path: 'paid', value: true, type: 'boolean' },
      { path: 'at', value: '2026-11-24T03:00:00Z', type: 'timestamp' },
      { path: 'hits', value: ['pep'], type: 'string' },
    ]);
  });
});

describe('addExtractedField', () => {
  it('adds the clicked field to the chosen source without touching the draft', () => {
    const draft = {
      sources: [{ id: 'a', fields: { x: { path: 'x', type: 'string' } } }, { id: 'b' }],
    };
    const next = addExtractedField(draft, 'b', {
      path: 'role.roleId',
      value: 'R1',
      type: 'string',
    });
    expect(next.sources).toEqual([
      draft.sources[0],
      { id: 'b', fields: { role_id: { path: 'role.roleId', type: 'string' } } },
    ]);
    expect(draft.sources[1]).toEqual({ id: 'b' });
    expect(addExtractedField(draft, 'missing', { path: 'x', value: 1, type: 'number' })).toBe(
      draft,
    );
    expect(fieldNameFor('receipt.verify')).toBe('verify');
  });
});

describe('issuesForStep', () => {
  it('routes each validation issue to the step that edits its section', () => {
    const issues = [
      { path: 'baseline.nodes[2].source', message: 'unknown source', code: 'unknown_source' },
      { path: 'conclusions[0].when', message: 'bad CEL', code: 'cel_type' },
      { path: 'supplements[0].join[0].record', message: 'no such field', code: 'x' },
    ];
    expect(issuesForStep(issues, 'baseline').map((i) => i.code)).toEqual(['unknown_source']);
    expect(issuesForStep(issues, 'logic').map((i) => i.code)).toEqual(['cel_type']);
    expect(issuesForStep(issues, 'supplements')).toHaveLength(1);
    expect(issuesForStep(issues, 'tree')).toEqual([]);
  });
});
