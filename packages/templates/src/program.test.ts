import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './program.js';
import type { FieldValue } from './session.js';
import type { SessionInput } from './session-vars.js';
import { loadTemplate } from './validate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures edit arbitrary JSON paths
type Json = any;
const read = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), 'utf8'));
const iap = compileTemplate(loadTemplate(read('in-app-purchase')));
const bank = compileTemplate(loadTemplate(read('bank-transfer')));

type Rec = { eventTime: number; fields: Record<string, FieldValue> };
const rec = (eventTime: number, fields: Record<string, FieldValue>): Rec => ({ eventTime, fields });

/** A complete, healthy purchase; `drop` removes nodes, `extra` adds records. */
function purchase(
  drop: string[] = [],
  edit: Partial<Record<string, Partial<Record<string, FieldValue>>>> = {},
  extra: Record<string, Rec[]> = {},
): SessionInput {
  const base: Record<string, Rec[]> = {
    client_order: [
      rec(1_000, {
        order_id: 'O1',
        role_id: 'R1',
        item_id: 'I1',
        channel: 'alipay',
        currency: 'CNY',
        amount_cents: 600,
      }),
    ],
    pay_page: [rec(2_000, { order_id: 'O1', channel: 'alipay', page: 'pay' })],
    receipt: [rec(12_000, { order_id: 'O1', receipt_id: 'RC1', receipt_verify: 'ok' })],
    pay_done: [
      rec(30_000, { order_id: 'O1', trans_id: 'T1', pay_status: 'SUCCESS', paid_amount: 6 }),
    ],
    channel_callback: [
      rec(31_000, { trans_id: 'T1', trade_status: 'TRADE_SUCCESS', total_fee: 6 }),
    ],
    delivery: [rec(35_000, { role_id: 'R1', bill_no: 'O1', item_id: 'I1', qty: 1 })],
  };
  const nodes = Object.entries(base)
    .filter(([node]) => !drop.includes(node))
    .map(([node, records]) => ({
      node,
      records: [
        ...records.map((r) => ({
          ...r,
          fields: { ...r.fields, ...edit[node] } as Record<string, FieldValue>,
        })),
        ...(extra[node] ?? []),
      ],
    }));
  return {
    nodes,
    enrichment: { item_name: 'Storm Tiger bundle', category: 'bundle', price_cents: 600 },
  };
}

describe('in-app-purchase conclusions (docs/scenarios.md order)', () => {
  it.each([
    ['ok', purchase()],
    ['paid_not_delivered', purchase(['delivery'])],
    [
      'double_delivery',
      purchase([], {}, { delivery: [rec(36_000, { role_id: 'R1', bill_no: 'O1', qty: 1 })] }),
    ],
    ['receipt_verify_failed', purchase([], { receipt: { receipt_verify: 'failed' } })],
    ['callback_missing', purchase(['channel_callback'])],
    ['abandoned_at_pay_page', purchase(['receipt', 'pay_done', 'channel_callback', 'delivery'])],
  ])('%s', (conclusion, input) => {
    expect(iap.evaluate(input).verdict?.conclusion).toBe(conclusion);
  });

  it('first match wins: paid and undelivered with a failed receipt is paid_not_delivered', () => {
    const out = iap.evaluate(purchase(['delivery'], { receipt: { receipt_verify: 'failed' } }));
    expect(out.verdicts.map((v) => v.conclusion)).toEqual([
      'paid_not_delivered',
      'receipt_verify_failed',
    ]);
  });

  it('renders the explanation and records the inputs the condition read', () => {
    const { verdict } = iap.evaluate(purchase(['delivery']));
    expect(verdict).toEqual({
      conclusion: 'paid_not_delivered',
      label: 'Paid, not delivered',
      severity: 'critical',
      explanation:
        'Order O1 was paid (6 CNY, trans T1) but the game server logged no delivery for role R1.',
      inputs: { 'f.paid': true, 'has_node.delivery': false },
    });
  });

  it('computes session fields: merged baseline, enrichment, derived', () => {
    const { fields } = iap.evaluate(
      purchase([], {}, { delivery: [rec(36_000, { role_id: 'R1', bill_no: 'O1', qty: 2 })] }),
    );
    expect(fields).toMatchObject({
      order_id: 'O1',
      channel: 'alipay',
      trans_id: 'T1',
      category: 'bundle',
      paid: true,
      delivered_qty: 3,
      pay_latency_ms: 29_000,
    });
  });

  it('leaves derived fields null when their inputs are absent', () => {
    const { fields } = iap.evaluate(purchase(['pay_done', 'channel_callback', 'delivery']));
    expect(fields.pay_latency_ms).toBeNull();
    expect(fields.paid).toBe(false);
    expect(fields.delivered_qty).toBe(0);
  });

  it('reads entity features, stores them as entity.<kind>.<feature> fields and names them in the verdict', () => {
    const entities = {
      account: { payments_10m: 5, payments_1h: 6, smallest_payment_1h: 6 },
      device: { accounts_linked: 2 },
    };
    const out = iap.evaluate({ ...purchase(['delivery']), entities });
    expect(out.fields).toMatchObject({
      'entity.account.payments_10m': 5,
      'entity.account.spend_24h': null,
      'entity.device.accounts_linked': 2,
      'entity.ip.accounts_24h': null,
    });
    const velocity = out.verdicts.find((v) => v.conclusion === 'payment_velocity');
    expect(velocity?.inputs).toEqual({
      'entity.account.payments_10m': 5,
      'entity.account.payments_1h': 6,
    });
    expect(velocity?.explanation).toContain(
      'attempted 5 payments in the 10 minutes before this one, 6 in the last hour',
    );
    expect(out.verdicts.map((v) => v.conclusion)).not.toContain('shared_device_ring');
    expect(
      iap
        .evaluate({ ...purchase(['delivery']), entities: { device: { accounts_linked: 4 } } })
        .verdicts.map((v) => v.conclusion),
    ).toContain('shared_device_ring');
  });

  it('treats a missing entity feature as absent: its conditions are false and its field null', () => {
    const out = iap.evaluate(purchase());
    expect(out.fields['entity.account.payments_10m']).toBeNull();
    expect(out.verdicts.map((v) => v.conclusion)).toEqual(['ok']);
  });

  it('fires early when all baseline nodes are present', () => {
    expect(iap.earlyFireNodes).toEqual(['client_order', 'pay_page', 'receipt', 'pay_done']);
    expect(iap.shouldFireEarly(purchase(['channel_callback', 'delivery']))).toBe(true);
    expect(iap.shouldFireEarly(purchase(['receipt']))).toBe(false);
  });
});

describe('bank-transfer conclusions', () => {
  const transfer = (
    edit: { decision?: string; amount?: number; drop?: string[] } = {},
  ): SessionInput => {
    const nodes: Record<string, Rec[]> = {
      transfer_request: [
        rec(0, {
          transfer_id: 'TR1',
          customer_id: 'C1',
          amount: edit.amount ?? 120,
          currency: 'EUR',
        }),
      ],
      aml_screening: [
        rec(1_000, { transfer_id: 'TR1', aml_decision: edit.decision ?? 'pass', aml_score: 10 }),
      ],
      core_booking: [
        rec(2_000, { transfer_id: 'TR1', ledger_ref: 'L1', booking_status: 'BOOKED' }),
      ],
      clearing_ack: [rec(60_000, { ledger_ref: 'L1', clearing_result: 'ACCEPTED' })],
    };
    return {
      nodes: Object.entries(nodes)
        .filter(([n]) => !(edit.drop ?? []).includes(n))
        .map(([node, records]) => ({ node, records })),
    };
  };
  it.each([
    ['ok', transfer()],
    ['booked_despite_block', transfer({ decision: 'block' })],
    ['structuring_suspected', transfer({ amount: 9_000 })],
    ['ok', transfer({ amount: 10_000 })],
    ['clearing_missing', transfer({ drop: ['clearing_ack'] })],
    ['stuck_in_review', transfer({ decision: 'review', drop: ['core_booking', 'clearing_ack'] })],
  ])('%s', (conclusion, input) => {
    expect(bank.evaluate(input).verdict?.conclusion).toBe(conclusion);
  });
});

describe('routing and early fire variants', () => {
  const base = read('in-app-purchase');
  it('nodesFor applies filters; one source can feed two nodes', () => {
    const t = structuredClone(base);
    t.baseline.nodes[2].filter = 'f.receipt_verify == "ok"';
    t.supplements.push({
      id: 'bad_receipt',
      source: 'receipt',
      label: 'Rejected receipt',
      filter: 'raw.receipt.verify == "failed"',
      join: [{ session: 'order_id', record: 'order_id' }],
      anchor: 'client_order',
      lower: '0s',
      upper: '1h',
    });
    const compiled = compileTemplate(loadTemplate(t));
    const raw = (verify: string): Json => ({ t: 1, order: 'O1', receipt: { id: 'R', verify } });
    const route = (verify: string): string[] => {
      const out = compiled.extractor('receipt').extract(raw(verify));
      if (!out.ok) throw new Error(out.reason);
      return compiled.nodesFor('receipt', raw(verify), out.fields);
    };
    expect(route('ok')).toEqual(['receipt']);
    expect(route('failed')).toEqual(['bad_receipt']);
    expect(compiled.nodesFor('unknown', {}, {})).toEqual([]);
  });

  it('earlyFire by expression sees baseline fields and nodes', () => {
    const t = structuredClone(base);
    t.baseline.earlyFire = { expr: 'has_node.pay_done && f.pay_status == "SUCCESS"' };
    const compiled = compileTemplate(loadTemplate(t));
    expect(compiled.earlyFireNodes).toBeNull();
    expect(compiled.shouldFireEarly(purchase(['receipt']))).toBe(true);
    expect(compiled.shouldFireEarly(purchase([], { pay_done: { pay_status: 'FAILED' } }))).toBe(
      false,
    );
  });
});
