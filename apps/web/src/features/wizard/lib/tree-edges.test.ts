import { validateTemplate } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { purchaseTemplate } from '@/features/session/lib/fixtures';
import { addTreeEdge, removeTreeEdge, treeEdges, treeNodeIds } from './tree-edges';

const draft = () => {
  const template = purchaseTemplate() as unknown as Record<string, unknown>;
  return { ...template, tree: { edges: [] } };
};

describe('tree edges', () => {
  it('offers the baseline steps, then the supplements', () => {
    expect(treeNodeIds(draft())).toEqual([
      'client_order',
      'pay_page',
      'receipt',
      'pay_done',
      'channel_callback',
      'delivery',
    ]);
    expect(treeNodeIds({})).toEqual([]);
  });

  it('adds edges that validate, trimming an empty label away', () => {
    let next = addTreeEdge(draft(), { from: 'client_order', to: 'pay_page', ordered: true });
    next = addTreeEdge(next, { from: 'pay_page', to: 'pay_done', label: ' paid ', ordered: false });
    expect(treeEdges(next)).toEqual([
      { from: 'client_order', to: 'pay_page', ordered: true },
      { from: 'pay_page', to: 'pay_done', label: 'paid', ordered: false },
    ]);
    const result = validateTemplate(next);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('keeps one parent per node: a new edge into a node replaces the old one', () => {
    let next = addTreeEdge(draft(), { from: 'client_order', to: 'pay_done', ordered: true });
    next = addTreeEdge(next, { from: 'receipt', to: 'pay_done', ordered: true });
    expect(treeEdges(next)).toEqual([{ from: 'receipt', to: 'pay_done', ordered: true }]);
  });

  it('removes the edge at an index and leaves the input draft unchanged', () => {
    const start = addTreeEdge(
      addTreeEdge(draft(), { from: 'client_order', to: 'pay_page', ordered: true }),
      { from: 'pay_page', to: 'receipt', ordered: true },
    );
    const next = removeTreeEdge(start, 0);
    expect(treeEdges(next).map((e) => e.to)).toEqual(['receipt']);
    expect(treeEdges(start)).toHaveLength(2);
  });
});
