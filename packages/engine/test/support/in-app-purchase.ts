import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileTemplate, loadTemplate } from '@weft/templates';
import type { CompiledTemplate } from '@weft/templates';
import type { RawInput } from '../../src/index.js';

/** The template file's JSON, with the parts tests edit. */
export interface TemplateJson {
  id: string;
  version: number;
  baseline: Record<string, unknown>;
}

/**
 * The in-app-purchase example template, compiled (docs/scenarios.md section 1);
 * `edit` may change the template JSON first (e.g. another `earlyFire`).
 */
export function purchaseTemplate(edit?: (template: TemplateJson) => void): CompiledTemplate {
  const file = fileURLToPath(
    new URL('../../../templates/examples/in-app-purchase.json', import.meta.url),
  );
  const json = JSON.parse(readFileSync(file, 'utf8')) as TemplateJson;
  edit?.(json);
  return compileTemplate(loadTemplate(json));
}

export type PurchaseStep =
  'client_order' | 'pay_page' | 'receipt' | 'pay_done' | 'channel_callback' | 'delivery';

/** One raw line of the given step of order `n`, at `t0 + offset` (offsets are whole seconds: receipt logs seconds). */
export function purchaseRecord(step: PurchaseStep, n: number, at: number, variant = 0): RawInput {
  const order = `O${n}`;
  const iso = new Date(at).toISOString();
  const lines: Record<PurchaseStep, object> = {
    client_order: {
      ts: at,
      event: 'order_create',
      order_id: order,
      role_id: `R${n}`,
      account: { id: `A${n}`, device_id: `D${n}` },
      item_id: 'I1',
      amount_cents: 600,
      currency: 'CNY',
      channel: 'alipay',
      region: 'cn-east',
      client: { os: 'android', ver: '3.2.1' },
    },
    pay_page: {
      time: iso,
      orderId: order,
      page: 'pay',
      channel: 'alipay',
      ip: `10.1.2.${variant}`,
    },
    receipt: { t: Math.floor(at / 1000), order, receipt: { id: `RC${n}`, verify: 'ok' } },
    pay_done: {
      event_time_ms: at,
      order_id: order,
      trans_id: `T${n}`,
      status: 'SUCCESS',
      amount: '6.00',
    },
    channel_callback: {
      notify_time: iso,
      trans_id: `T${n}`,
      trade_status: 'TRADE_SUCCESS',
      total_fee: '6.00',
    },
    delivery: {
      log_time: at,
      role: { id: `R${n}` },
      bill_no: order,
      item: 'I1',
      qty: 1,
      seq: variant,
    },
  };
  return { source: step, raw: JSON.stringify(lines[step]) };
}

/** The normal flow of one order starting at `t0` (a multiple of 1000): every step once, in time order. */
export function normalPurchase(n: number, t0: number): RawInput[] {
  return [
    purchaseRecord('client_order', n, t0),
    purchaseRecord('pay_page', n, t0 + 2_000),
    purchaseRecord('receipt', n, t0 + 12_000),
    purchaseRecord('pay_done', n, t0 + 30_000),
    purchaseRecord('channel_callback', n, t0 + 31_000),
    purchaseRecord('delivery', n, t0 + 35_000),
  ];
}
