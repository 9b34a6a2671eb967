import { describe, expect, it } from 'vitest';
import { buildBehaviorTree, formatGap } from './behavior-tree';
import { paidNotDelivered, purchaseTemplate, record } from './fixtures';
import { toTreeChartData, treeChartOption } from './tree-chart';

const template = purchaseTemplate();

describe('buildBehaviorTree', () => {
  it('lists nodes in template order with timings between steps', () => {
    const view = buildBehaviorTree(paidNotDelivered(), template);
    expect(view.nodes.map((n) => n.id)).toEqual([
      'client_order',
      'pay_page',
      'receipt',
      'pay_done',
      'channel_callback',
      'delivery',
    ]);
    const byId = Object.fromEntries(view.nodes.map((n) => [n.id, n]));
    expect(byId.pay_page?.sinceParentMs).toBe(2_000);
    expect(byId.pay_done?.sinceParentMs).toBe(18_000);
    expect(byId.channel_callback?.parent).toBe('pay_done');
    expect(byId.channel_callback?.edgeLabel).toBe('trans_id');
    expect(view.roots).toEqual(['client_order']);
    expect(view.nodes.map((n) => n.offsetMs)).toEqual([0, 2_000, 12_000, 30_000, 31_000, null]);
  });

  it('hangs supplements that the tree edges leave out under their anchor', () => {
    const withEdges = {
      ...template,
      tree: { edges: [{ from: 'client_order', to: 'pay_done', ordered: true }] },
    };
    const view = buildBehaviorTree(paidNotDelivered(), withEdges);
    const byId = Object.fromEntries(view.nodes.map((n) => [n.id, n]));
    expect(byId.pay_done?.parent).toBe('client_order');
    expect(byId.delivery?.parent).toBe('pay_done');
    expect(byId.delivery?.edgeLabel).toBe('role_id + order_id');
    expect(view.roots).toEqual(['client_order', 'pay_page', 'receipt']);
  });

  it('marks the missing node and carries the verdict with its explanation', () => {
    const view = buildBehaviorTree(paidNotDelivered(), template);
    const delivery = view.nodes.find((n) => n.id === 'delivery');
    expect(delivery?.status).toBe('missing');
    expect(delivery?.sinceParentMs).toBeNull();
    expect(view.problems).toEqual(['Item delivery: missing']);
    expect(view.verdict?.conclusion).toBe('paid_not_delivered');
    expect(view.verdict?.severity).toBe('critical');
    expect(view.verdict?.explanation).toContain('no item was delivered');
  });

  it('flags duplicated, late and out-of-order nodes', () => {
    const session = paidNotDelivered();
    session.nodes.push({
      node: 'delivery',
      kind: 'supplement',
      records: [record('delivery', 35_000), record('delivery', 36_000, { late: true })],
    });
    const receipt = session.nodes.find((n) => n.node === 'receipt');
    if (receipt) receipt.records = [record('receipt', 1_000)];
    const payPage = session.nodes.find((n) => n.node === 'pay_page');
    if (payPage) payPage.records = [record('pay_page', 2_000), record('pay_page', 2_500)];
    const view = buildBehaviorTree(session, template);
    const byId = Object.fromEntries(view.nodes.map((n) => [n.id, n]));
    expect(byId.delivery?.status).toBe('duplicated');
    expect(byId.delivery?.problems).toEqual(['2 records', '1 late record']);
    expect(byId.pay_page?.problems).toEqual(['2 records (expected one)']);
    expect(byId.receipt?.status).toBe('out_of_order');
    expect(byId.receipt?.problems[0]).toBe('before its previous step by 1 s');
  });

  it("says when a session spans longer than the template's maxSpan", () => {
    const session = paidNotDelivered();
    const maxSpan = template.baseline.maxSpan;
    expect(
      buildBehaviorTree({ ...session, end: session.start + maxSpan }, template).problems,
    ).toEqual(['Item delivery: missing']);
    const long = { ...session, end: session.start + maxSpan + 60_000 };
    expect(buildBehaviorTree(long, template).problems).toEqual([
      'Item delivery: missing',
      "Session: spans 2 h 1 min, longer than the template's maxSpan (2 h); supplements, late records or entity features may have missed it",
    ]);
  });

  it('separates key fields (business key first) from derived fields', () => {
    const view = buildBehaviorTree(paidNotDelivered(), template);
    expect(view.keyFields[0]).toEqual(['order_id', 'O1']);
    expect(view.derivedFields.map(([n]) => n).sort()).toEqual([
      'delivered_qty',
      'paid',
      'pay_latency_ms',
    ]);
  });

  it('keeps nodes the template does not know, as extra roots', () => {
    const session = paidNotDelivered();
    session.nodes.push({ node: 'mystery', kind: 'supplement', records: [record('mystery', 5)] });
    const view = buildBehaviorTree(session, template);
    expect(view.roots).toEqual(['client_order', 'mystery']);
    const chart = toTreeChartData(view);
    expect(chart.id).toBe('$session');
    expect(chart.children.map((c) => c.id)).toEqual(['client_order', 'mystery']);
  });

  it('keeps raw records as text, never interpreting them', () => {
    const view = buildBehaviorTree(paidNotDelivered(), template);
    expect(view.nodes[0]?.records[0]?.rawText).toContain('"<img src=x onerror=alert(1)>"');
  });
});

describe('toTreeChartData', () => {
  it('draws a missing node hollow and dashed, with its problem in the label', () => {
    const chart = toTreeChartData(buildBehaviorTree(paidNotDelivered(), template));
    const payDone = chart.children[0]?.children[0]?.children[0];
    expect(payDone?.id).toBe('pay_done');
    const delivery = payDone?.children.find((c) => c.id === 'delivery');
    expect(delivery?.itemStyle.borderType).toBe('dashed');
    expect(delivery?.name).toBe('Item delivery — missing');
    expect(payDone?.name).toBe('Payment complete (+18 s)');
    expect(payDone?.tooltip.formatter).toBe(
      'Payment complete (baseline)\npresent\nat +30 s from the first record\n1 record',
    );
    expect(delivery?.tooltip.formatter).toContain('no record');
  });

  it('draws the selected node larger and bold, the others plain', () => {
    const chart = toTreeChartData(buildBehaviorTree(paidNotDelivered(), template), 'pay_page');
    const payPage = chart.children[0];
    expect(payPage?.id).toBe('pay_page');
    expect(payPage?.symbolSize).toBeGreaterThan(chart.symbolSize);
    expect(payPage?.label).toEqual({ fontWeight: 'bold' });
    expect(chart.label).toBeUndefined();
  });

  it('renders tooltips as canvas text, never HTML', () => {
    const option = treeChartOption(buildBehaviorTree(paidNotDelivered(), template));
    expect(option.tooltip.renderMode).toBe('richText');
  });
});

describe('formatGap', () => {
  it('picks a readable unit', () => {
    expect(formatGap(850)).toBe('850 ms');
    expect(formatGap(12_500)).toBe('12.5 s');
    expect(formatGap(200_000)).toBe('3 min 20 s');
    expect(formatGap(7_500_000)).toBe('2 h 5 min');
    expect(formatGap(-2_000)).toBe('−2 s');
  });
});
