import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTemplate, validateTemplate } from '../src/index.js';

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../examples/${name}.json`, import.meta.url), 'utf8'));

describe('example templates', () => {
  it.each(['in-app-purchase', 'bank-transfer'])('%s validates without errors', (name) => {
    const result = validateTemplate(read(name));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('in-app-purchase matches docs/scenarios.md', () => {
    const t = loadTemplate(read('in-app-purchase'));
    expect(t.baseline.key).toBe('order_id');
    expect(t.baseline.nodes.map((n) => n.source)).toEqual([
      'client_order',
      'pay_page',
      'receipt',
      'pay_done',
    ]);
    expect(t.baseline.gap).toBe(20 * 60_000);
    expect(t.baseline.maxSpan).toBe(2 * 3_600_000);
    const times = Object.fromEntries(
      t.sources.flatMap((s) => (s.kind === 'sql' ? [] : [[s.id, s.time]])),
    );
    expect(times).toEqual({
      client_order: { path: 'ts', encoding: 'epoch_ms' },
      pay_page: { path: 'time', encoding: 'iso8601' },
      receipt: { path: 't', encoding: 'epoch_s' },
      pay_done: { path: 'event_time_ms', encoding: 'epoch_ms' },
      channel_callback: { path: 'notify_time', encoding: 'iso8601' },
      delivery: { path: 'log_time', encoding: 'epoch_ms' },
    });
    const [callback, delivery] = t.supplements;
    expect(callback).toMatchObject({
      source: 'channel_callback',
      join: [{ session: 'trans_id', record: 'trans_id' }],
      anchor: 'pay_done',
      lower: -60_000,
      upper: 30 * 60_000,
      cardinality: 'one',
    });
    expect(delivery).toMatchObject({
      source: 'delivery',
      join: [
        { session: 'role_id', record: 'role_id' },
        { session: 'order_id', record: 'bill_no' },
      ],
      anchor: 'pay_done',
      lower: 0,
      upper: 20 * 60_000,
      cardinality: 'many',
    });
    expect(t.enrichment.map((e) => [e.source, e.on.session])).toEqual([
      ['item_catalog', 'item_id'],
    ]);
    expect(t.conclusions.map((c) => [c.id, c.severity])).toEqual([
      ['paid_not_delivered', 'critical'],
      ['double_delivery', 'high'],
      ['receipt_verify_failed', 'high'],
      ['callback_missing', 'medium'],
      ['abandoned_at_pay_page', 'low'],
      ['ok', 'info'],
      // Entity patterns after the flow conclusions: the verdict stays the flow's.
      ['payment_velocity', 'high'],
      ['shared_device_ring', 'high'],
    ]);
  });

  it('bank-transfer matches docs/scenarios.md', () => {
    const t = loadTemplate(read('bank-transfer'));
    expect(t.baseline.key).toBe('transfer_id');
    expect(t.baseline.nodes.map((n) => n.source)).toEqual([
      'transfer_request',
      'aml_screening',
      'core_booking',
    ]);
    expect([t.baseline.gap, t.baseline.maxSpan]).toEqual([600_000, 3_600_000]);
    expect(t.supplements).toHaveLength(1);
    expect(t.supplements[0]).toMatchObject({
      source: 'clearing_ack',
      join: [{ session: 'ledger_ref', record: 'ledger_ref' }],
      anchor: 'core_booking',
      lower: 0,
      upper: 7_200_000,
    });
    expect(t.enrichment.map((e) => [e.source, e.on.session])).toEqual([
      ['customer_kyc', 'customer_id'],
    ]);
    expect(t.conclusions.map((c) => [c.id, c.severity])).toEqual([
      ['booked_despite_block', 'critical'],
      ['structuring_suspected', 'high'],
      ['clearing_missing', 'medium'],
      ['stuck_in_review', 'low'],
      ['ok', 'info'],
    ]);
  });
});
