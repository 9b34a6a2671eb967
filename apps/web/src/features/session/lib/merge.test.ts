import { compileTemplate } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { paidNotDelivered, purchaseTemplate, record } from './fixtures';
import { mergeSessions } from './merge';

describe('mergeSessions', () => {
  const compiled = compileTemplate(purchaseTemplate());
  const evaluate = (nodes: Parameters<typeof compiled.evaluate>[0]['nodes']) =>
    compiled.evaluate({ nodes });

  function halves() {
    const whole = paidNotDelivered();
    const first = {
      ...whole,
      sessionId: 'a',
      nodes: whole.nodes.slice(0, 2),
      end: whole.start + 2_000,
    };
    const second = {
      ...whole,
      sessionId: 'b',
      version: 7,
      nodes: [
        ...whole.nodes.slice(1, 4),
        {
          node: 'delivery',
          kind: 'supplement' as const,
          records: [record('delivery', 40_000, { fields: { qty: 1 } })],
        },
      ],
      start: whole.start + 2_000,
      end: whole.start + 40_000,
    };
    return { first, second };
  }

  it('unions the nodes without duplicating shared records, and spans both halves', () => {
    const { first, second } = halves();
    const { survivor, retired } = mergeSessions(first, second, null);
    expect(survivor.nodes.map((n) => [n.node, n.records.length])).toEqual([
      ['client_order', 1],
      ['pay_page', 1],
      ['receipt', 1],
      ['pay_done', 1],
      ['delivery', 1],
    ]);
    expect([survivor.start, survivor.end]).toEqual([second.start - 2_000, second.end]);
    expect(survivor.version).toBe(first.version + 1);
    expect(survivor.fireReason).toBe('operator');
    expect(retired.mergedInto).toBe('a');
    expect(retired.version).toBe(8);
  });

  it('recomputes the verdict with the template instead of keeping a stale one', () => {
    const { first, second } = halves();
    const { survivor } = mergeSessions(first, second, evaluate);
    expect(first.verdict?.conclusion).toBe('paid_not_delivered');
    expect(survivor.verdict?.conclusion).not.toBe('paid_not_delivered');
    expect(survivor.verdicts.map((v) => v.conclusion)).toContain('callback_missing');
  });
});
