import { runBatch } from '@weft/engine';
import type { RawInput } from '@weft/engine';
import { compileTemplate, validateTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { purchaseTemplate } from '@/features/session/lib/fixtures';
import { buildPreview } from './preview-model';
import { starterTemplate } from './starter';

const T0 = Date.UTC(2026, 10, 24, 3, 0, 0);

function line(source: string, raw: unknown): RawInput {
  return { source, raw: JSON.stringify(raw) };
}

/** A paid-not-delivered purchase, a callback nobody waits for, and a broken line. */
const inputs: RawInput[] = [
  line('client_order', { ts: T0, order_id: 'O1', role_id: 'R1', item_id: 'I1', amount_cents: 600 }),
  line('pay_page', { time: new Date(T0 + 2_000).toISOString(), orderId: 'O1', channel: 'alipay' }),
  line('receipt', { t: Math.floor((T0 + 6_000) / 1000), order: 'O1', receipt: { verify: 'ok' } }),
  line('pay_done', {
    event_time_ms: T0 + 30_000,
    order_id: 'O1',
    trans_id: 'T1',
    status: 'SUCCESS',
    amount: '6.00',
  }),
  line('channel_callback', {
    notify_time: new Date(T0 + 31_000).toISOString(),
    trans_id: 'T1',
    trade_status: 'TRADE_SUCCESS',
    total_fee: '6.00',
  }),
  line('channel_callback', {
    notify_time: new Date(T0 + 40_000).toISOString(),
    trans_id: 'T-NOBODY',
    trade_status: 'TRADE_SUCCESS',
    total_fee: '1.00',
  }),
  { source: 'pay_done', raw: '{"event_time_ms": 1, "order_id": ' },
];

function preview(template: Template, lines: RawInput[]) {
  return buildPreview(runBatch(compileTemplate(template), lines), template, lines);
}

describe('buildPreview', () => {
  it('shows the engine-built tree with the missing node and verdict, the orphan and the dead letter', () => {
    const model = preview(purchaseTemplate(), inputs);
    expect(model.inputs).toBe(7);
    expect(model.trees).toHaveLength(1);
    const tree = model.trees[0]!;
    expect(tree.businessKey).toBe('O1');
    expect(tree.nodes.find((n) => n.id === 'delivery')?.status).toBe('missing');
    expect(tree.nodes.find((n) => n.id === 'channel_callback')?.status).toBe('present');
    expect(tree.verdict?.conclusion).toBe('paid_not_delivered');
    expect(model.orphans.map((o) => [o.node, o.keys.trans_id])).toEqual([
      ['channel_callback', 'T-NOBODY'],
    ]);
    expect(model.deadLetters).toHaveLength(1);
    expect(model.deadLetters[0]?.reason).toMatch(/not valid JSON/);
    expect(model.unrouted).toEqual([]);
  });

  it('changes when the draft changes: a baseline filter drops a step and leaves its record unrouted', () => {
    const template = purchaseTemplate();
    const filtered = {
      ...template,
      baseline: {
        ...template.baseline,
        nodes: template.baseline.nodes.map((n) =>
          n.id === 'receipt' ? { ...n, filter: 'f.receipt_verify == "failed"' } : n,
        ),
      },
    };
    const valid = validateTemplate(filtered);
    expect(valid.ok ? [] : valid.errors).toEqual([]);
    const model = preview(valid.ok ? valid.template : template, inputs);
    expect(model.trees[0]?.nodes.find((n) => n.id === 'receipt')?.status).toBe('missing');
    expect(model.unrouted.map((u) => u.source)).toEqual(['receipt']);
  });

  it('keeps raw text as text (never markup) and a business key per session', () => {
    const starter = validateTemplate({
      ...starterTemplate(T0),
      sources: [
        {
          id: 'checkout',
          kind: 'ndjson',
          path: 'checkout.ndjson',
          time: { path: 'ts', encoding: 'epoch_ms' },
          fields: { order_id: { path: 'order_id', type: 'string' } },
        },
      ],
    });
    if (!starter.ok) throw new Error(JSON.stringify(starter.errors));
    const model = preview(starter.template, [
      line('checkout', { ts: T0, order_id: 'A', note: '<script>alert(1)</script>' }),
      line('checkout', { ts: T0 + 1, order_id: 'B' }),
      line('checkout', { ts: T0 + 2 }),
    ]);
    expect(model.trees.map((t) => t.businessKey)).toEqual(['A', 'B']);
    expect(model.trees[0]?.nodes[0]?.records[0]?.rawText).toContain('"<script>alert(1)</script>"');
    expect(model.deadLetters[0]?.reason).toMatch(/order_id/);
  });
});
