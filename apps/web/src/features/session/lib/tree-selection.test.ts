import { describe, expect, it } from 'vitest';
import { buildBehaviorTree } from './behavior-tree';
import { paidNotDelivered, purchaseTemplate, record } from './fixtures';
import { defaultSelection, depthsOf } from './tree-selection';

const template = purchaseTemplate();

describe('tree selection', () => {
  it('opens on the first step with a problem', () => {
    expect(defaultSelection(buildBehaviorTree(paidNotDelivered(), template))).toBe('delivery');
  });

  it('opens on the first root when nothing is wrong', () => {
    const session = paidNotDelivered();
    session.nodes.push({
      node: 'delivery',
      kind: 'supplement',
      records: [record('delivery', 35_000)],
    });
    expect(defaultSelection(buildBehaviorTree(session, template))).toBe('client_order');
  });

  it('indents each step by its depth under the roots', () => {
    const depths = depthsOf(buildBehaviorTree(paidNotDelivered(), template));
    expect(Object.fromEntries(depths)).toEqual({
      client_order: 0,
      pay_page: 1,
      receipt: 2,
      pay_done: 3,
      channel_callback: 4,
      delivery: 4,
    });
  });
});
