import { readFileSync } from 'node:fs';
import { applyMigrations, openStore } from '@weft/storage';
import { compileTemplate, loadTemplate } from '@weft/templates';
import type { CompiledTemplate, Session, SessionNode, Template } from '@weft/templates';
import { identityEdgesOf, withEntityFeatures } from './seed-entities';

/**
 * Seeds a store with the in-app purchase template and purchases whose raw
 * records follow docs/scenarios.md. Fields are extracted and verdicts decided
 * by the template itself (@weft/templates' compiled extractors and
 * evaluator), so the verdicts are the product's, not hard-coded.
 */

export type Fault =
  | 'ok'
  | 'paid_not_delivered'
  | 'double_delivery'
  | 'receipt_verify_failed'
  | 'callback_missing'
  | 'abandoned_at_pay_page';

export const KNOWN_ORDERS = {
  paidNotDelivered: 'O-E2E-PAID-NOT-DELIVERED',
  ok: 'O-E2E-OK',
  doubleDelivery: 'O-E2E-DOUBLE',
  /** Stored as two halves (`-1`: order and pay page; `-2`: the rest), for the merge flow. */
  split: 'O-E2E-SPLIT',
  /** Its raw records carry markup in values and keys: every view must show it as text. */
  hostile: 'O-E2E-XSS<img src=x onerror=alert(1)>',
} as const;

/** Markup planted in the hostile order's records (values that become fields and dimensions). */
export const HOSTILE_MARKUP = {
  channel: '<img src=x onerror="window.__xss=1">',
  region: '<script>window.__xss=2</script>',
  key: '<b onmouseover="window.__xss=3">k</b>',
} as const;

/** The hostile order's records: markup in the channel, region and an extra key of every record. */
function plantMarkup(records: { source: string; raw: unknown }[]): void {
  for (const record of records) {
    const raw = record.raw as Record<string, unknown>;
    if ('channel' in raw) raw.channel = HOSTILE_MARKUP.channel;
    if ('region' in raw) raw.region = HOSTILE_MARKUP.region;
    raw[HOSTILE_MARKUP.key] = HOSTILE_MARKUP.region;
  }
}

const CHANNELS = ['alipay', 'wechat', 'apple', 'google'];
const REGIONS = ['cn-east', 'cn-north', 'sea', 'eu'];
const FAULT_MIX: Fault[] = [
  ...Array<Fault>(14).fill('ok'),
  'paid_not_delivered',
  'double_delivery',
  'receipt_verify_failed',
  'callback_missing',
  'callback_missing',
  'abandoned_at_pay_page',
];

export function purchaseTemplate(): Template {
  const url = new URL(
    '../../../../packages/templates/examples/in-app-purchase.json',
    import.meta.url,
  );
  return loadTemplate(JSON.parse(readFileSync(url, 'utf8')));
}

/** The raw records of one purchase with the given fault, starting at `t0`. */
export function purchaseRecords(
  order: string,
  t0: number,
  fault: Fault,
  n: number,
): { source: string; raw: unknown }[] {
  const role = `R${1000 + (n % 97)}`;
  const trans = `T${order.slice(1)}`;
  const channel = CHANNELS[n % CHANNELS.length];
  const payLatency = 8_000 + ((n * 7919) % 50_000);
  const records: { source: string; raw: unknown }[] = [
    {
      source: 'client_order',
      raw: {
        ts: t0,
        event: 'order_create',
        order_id: order,
        role_id: role,
        account: { id: `A${n % 211}`, device_id: `D${n % 53}` },
        item_id: `I${n % 12}`,
        amount_cents: 600 * (1 + (n % 5)),
        currency: 'CNY',
        channel,
        region: REGIONS[n % REGIONS.length],
        client: { os: n % 2 ? 'android' : 'ios', ver: '3.2.1' },
      },
    },
    {
      source: 'pay_page',
      raw: {
        time: new Date(t0 + 2_000).toISOString(),
        orderId: order,
        page: 'pay',
        channel,
        ip: `10.1.${n % 200}.3`,
      },
    },
  ];
  if (fault === 'abandoned_at_pay_page') return records;
  const paid = t0 + payLatency;
  records.push(
    {
      source: 'receipt',
      raw: {
        t: Math.floor((t0 + 6_000) / 1000),
        order,
        receipt: { id: `RC${n}`, verify: fault === 'receipt_verify_failed' ? 'failed' : 'ok' },
      },
    },
    {
      source: 'pay_done',
      raw: {
        event_time_ms: paid,
        order_id: order,
        trans_id: trans,
        status: 'SUCCESS',
        amount: '6.00',
      },
    },
  );
  if (fault !== 'callback_missing') {
    records.push({
      source: 'channel_callback',
      raw: {
        notify_time: new Date(paid + 1_000).toISOString(),
        trans_id: trans,
        trade_status: 'TRADE_SUCCESS',
        total_fee: '6.00',
      },
    });
  }
  const deliveries = fault === 'paid_not_delivered' ? 0 : fault === 'double_delivery' ? 2 : 1;
  for (let i = 0; i < deliveries; i++) {
    records.push({
      source: 'delivery',
      raw: {
        log_time: paid + 5_000 + i * 3_000,
        role: { id: role },
        bill_no: order,
        item: `I${n % 12}`,
        qty: 1,
      },
    });
  }
  return records;
}

const compiledTemplates = new WeakMap<Template, CompiledTemplate>();

/** Compiling is the costly part of building a session: once per template (the bench seeds 100k). */
function compiledOf(template: Template): CompiledTemplate {
  let compiled = compiledTemplates.get(template);
  if (!compiled) {
    compiled = compileTemplate(template);
    compiledTemplates.set(template, compiled);
  }
  return compiled;
}

/** Builds the stored session of one purchase through the template's extractors and evaluator. */
export function purchaseSession(
  template: Template,
  order: string,
  t0: number,
  fault: Fault,
  n: number,
): Session {
  const compiled = compiledOf(template);
  const nodes = new Map<string, SessionNode>();
  let i = 0;
  const records = purchaseRecords(order, t0, fault, n);
  if (order === KNOWN_ORDERS.hostile) plantMarkup(records);
  for (const { source, raw } of records) {
    const extraction = compiled.extractor(source).extract(raw);
    if (!extraction.ok)
      throw new Error(`seed record of ${source} does not extract: ${extraction.reason}`);
    for (const node of compiled.nodesFor(source, raw, extraction.fields)) {
      const kind = template.baseline.nodes.some((b) => b.id === node) ? 'baseline' : 'supplement';
      const entry = nodes.get(node) ?? { node, kind, records: [] };
      entry.records.push({
        recordId: `${order}-${i++}`,
        source,
        eventTime: extraction.eventTime,
        raw,
        fields: extraction.fields,
        late: false,
      });
      nodes.set(node, entry);
    }
  }
  const list = [...nodes.values()];
  const outcome = compiled.evaluate({ nodes: list });
  const times = list.flatMap((node) => node.records.map((r) => r.eventTime));
  return {
    sessionId: `s-${order}`,
    templateId: template.id,
    templateVersion: template.version,
    businessKey: order,
    version: 1,
    status: 'closed',
    fireReason: 'final',
    start: Math.min(...times),
    end: Math.max(...times),
    nodes: list,
    fields: outcome.fields,
    verdicts: outcome.verdicts,
    verdict: outcome.verdict,
    mergedInto: null,
  };
}

/** One purchase stored as two sessions of the same business key, as a split correlation would leave it. */
export function splitSessions(template: Template, order: string, t0: number): Session[] {
  const whole = purchaseSession(template, order, t0, 'ok', 5);
  const first = new Set(['client_order', 'pay_page']);
  const half = (suffix: string, keep: (node: string) => boolean): Session => {
    const nodes = whole.nodes.filter((n) => keep(n.node));
    const outcome = compiledOf(template).evaluate({ nodes });
    const times = nodes.flatMap((n) => n.records.map((r) => r.eventTime));
    return {
      ...whole,
      sessionId: `s-${order}-${suffix}`,
      start: Math.min(...times),
      end: Math.max(...times),
      nodes,
      fields: outcome.fields,
      verdicts: outcome.verdicts,
      verdict: outcome.verdict,
    };
  };
  return [half('1', (n) => first.has(n)), half('2', (n) => !first.has(n))];
}

/**
 * Seeds `dbUrl` with the template, the known orders and `count` purchases
 * spread over 60 days, with their entity features and identity edges.
 */
export async function seedDemoStore(dbUrl: string, now: number, count = 1500): Promise<void> {
  const store = await openStore(dbUrl);
  try {
    await applyMigrations(store);
    const template = purchaseTemplate();
    await store.templates.save({
      templateId: template.id,
      version: template.version,
      status: 'published',
      definition: template,
    });
    const sessions: Session[] = [
      purchaseSession(
        template,
        KNOWN_ORDERS.paidNotDelivered,
        now - 3_600_000,
        'paid_not_delivered',
        1,
      ),
      purchaseSession(template, KNOWN_ORDERS.ok, now - 7_200_000, 'ok', 2),
      purchaseSession(template, KNOWN_ORDERS.doubleDelivery, now - 5_400_000, 'double_delivery', 3),
      purchaseSession(template, KNOWN_ORDERS.hostile, now - 4_000_000, 'paid_not_delivered', 4),
      ...splitSessions(template, KNOWN_ORDERS.split, now - 4_500_000),
    ];
    const span = 60 * 86_400_000;
    for (let n = 0; n < count; n++) {
      const t0 = now - Math.floor((((n * 2_654_435_761) % 1_000_003) / 1_000_003) * span);
      const fault = FAULT_MIX[(n * 31) % FAULT_MIX.length] as Fault;
      sessions.push(purchaseSession(template, `O${1_764_000_000_000 + n}`, t0, fault, n + 10));
    }
    const profiled = withEntityFeatures(template, sessions);
    for (let i = 0; i < profiled.length; i += 200)
      await store.sessions.upsert(profiled.slice(i, i + 200));
    await store.identityEdges.save(identityEdgesOf(template, profiled));
  } finally {
    await store.close();
  }
}
