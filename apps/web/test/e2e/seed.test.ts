import { describe, expect, it } from 'vitest';
import {
  HOSTILE_MARKUP,
  KNOWN_ORDERS,
  purchaseSession,
  purchaseTemplate,
  splitSessions,
} from './seed';

// The e2e seed must produce the verdicts the browser tests look for.
describe('e2e seed', () => {
  const template = purchaseTemplate();
  it('decides the fault verdicts through the template', () => {
    const t0 = Date.UTC(2026, 10, 1);
    expect(
      purchaseSession(template, KNOWN_ORDERS.paidNotDelivered, t0, 'paid_not_delivered', 1).verdict
        ?.conclusion,
    ).toBe('paid_not_delivered');
    expect(purchaseSession(template, 'O2', t0, 'double_delivery', 2).verdict?.conclusion).toBe(
      'double_delivery',
    );
    expect(purchaseSession(template, 'O3', t0, 'callback_missing', 3).verdict?.conclusion).toBe(
      'callback_missing',
    );
    expect(
      purchaseSession(template, 'O4', t0, 'abandoned_at_pay_page', 4).verdict?.conclusion,
    ).toBe('abandoned_at_pay_page');
    expect(
      purchaseSession(template, 'O5', t0, 'receipt_verify_failed', 5).verdict?.conclusion,
    ).toBe('receipt_verify_failed');
    expect(purchaseSession(template, 'O6', t0, 'ok', 6).verdict?.conclusion).toBe('ok');
  });

  it('plants markup in the hostile order, as fields the views will show', () => {
    const session = purchaseSession(template, KNOWN_ORDERS.hostile, Date.UTC(2026, 10, 1), 'ok', 4);
    expect(session.fields.channel).toBe(HOSTILE_MARKUP.channel);
    expect(session.fields.region).toBe(HOSTILE_MARKUP.region);
    expect(session.businessKey).toContain('<img');
  });

  it('splits one purchase into two halves of the same business key', () => {
    const [first, second] = splitSessions(template, KNOWN_ORDERS.split, Date.UTC(2026, 10, 1));
    expect(first?.nodes.map((n) => n.node)).toEqual(['client_order', 'pay_page']);
    expect(second?.nodes.map((n) => n.node)).not.toContain('client_order');
    expect(first?.businessKey).toBe(second?.businessKey);
    expect(first?.verdict?.conclusion).toBe('abandoned_at_pay_page');
  });
});
