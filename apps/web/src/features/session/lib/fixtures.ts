import { readFileSync } from 'node:fs';
import { loadTemplate } from '@weft/templates';
import type { Session, SessionRecord, Template } from '@weft/templates';

/** The in-app purchase example template, as the app would load it from the store. */
export function purchaseTemplate(): Template {
  const url = new URL(
    '../../../../../../packages/templates/examples/in-app-purchase.json',
    import.meta.url,
  );
  return loadTemplate(JSON.parse(readFileSync(url, 'utf8')));
}

const T0 = Date.UTC(2026, 10, 24, 3, 0, 0);

export function record(
  source: string,
  offsetMs: number,
  extra: Partial<SessionRecord> = {},
): SessionRecord {
  return {
    recordId: `${source}-${offsetMs}`,
    source,
    eventTime: T0 + offsetMs,
    raw: { source, at: offsetMs, note: '<img src=x onerror=alert(1)>' },
    fields: { order_id: 'O1' },
    late: false,
    ...extra,
  };
}

/** A paid-not-delivered purchase: every baseline step and the callback, no delivery. */
export function paidNotDelivered(): Session {
  return {
    sessionId: 's-1',
    templateId: 'in-app-purchase',
    templateVersion: 1,
    businessKey: 'O1',
    version: 3,
    status: 'closed',
    fireReason: 'final',
    start: T0,
    end: T0 + 31_000,
    nodes: [
      { node: 'client_order', kind: 'baseline', records: [record('client_order', 0)] },
      { node: 'pay_page', kind: 'baseline', records: [record('pay_page', 2_000)] },
      { node: 'receipt', kind: 'baseline', records: [record('receipt', 12_000)] },
      { node: 'pay_done', kind: 'baseline', records: [record('pay_done', 30_000)] },
      {
        node: 'channel_callback',
        kind: 'supplement',
        records: [record('channel_callback', 31_000)],
      },
    ],
    fields: {
      channel: 'alipay',
      order_id: 'O1',
      paid: true,
      pay_latency_ms: 30_000,
      delivered_qty: 0,
    },
    verdicts: [
      {
        conclusion: 'paid_not_delivered',
        label: 'Paid, not delivered',
        severity: 'critical',
        explanation: 'Order O1 was paid but no item was delivered.',
        inputs: { paid: true },
      },
    ],
    verdict: {
      conclusion: 'paid_not_delivered',
      label: 'Paid, not delivered',
      severity: 'critical',
      explanation: 'Order O1 was paid but no item was delivered.',
      inputs: { paid: true },
    },
    mergedInto: null,
  };
}
