/**
 * Throughput of the template hot paths: record extraction (+ node routing)
 * and session evaluation (derived fields + conclusions), on the in-app
 * purchase example; each figure is the median, min and max of `--runs` runs.
 * Run: `npm run bench -w @weft/templates -- [--runs N] [--json FILE]`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { metric, writeBenchResult } from '../../../bench/src/contract.js';
import type { Metric } from '../../../bench/src/contract.js';
import { compileTemplate, loadTemplate, type FieldValue } from '../src/index.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, json: { type: 'string' } },
});
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`--runs must be a whole number ≥ 1, got "${values.runs}".`);
  process.exit(2);
}

const template = loadTemplate(
  JSON.parse(readFileSync(new URL('../examples/in-app-purchase.json', import.meta.url), 'utf8')),
);
const compiled = compileTemplate(template);

const metrics: Metric[] = [];

function slug(label: string): string {
  return label
    .replace(/[^a-z0-9]+/gi, '_')
    .replace(/^_|_$/g, '')
    .toLowerCase();
}

function time(label: string, n: number, fn: (i: number) => void): void {
  for (let i = 0; i < Math.min(n, 20_000); i++) fn(i); // warm up
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    rates.push(Math.round((n / (performance.now() - start)) * 1000));
  }
  const m = metric(slug(label), 'ops/s', rates, { label, operations: n });
  metrics.push(m);
  console.log(`${label.padEnd(44)} ${m.median.toLocaleString('en-US').padStart(12)} /s`);
}

const N = 500_000;
const orders = Array.from({ length: 1_000 }, (_, i) => ({
  ts: 1764000000000 + i,
  event: 'order_create',
  order_id: `O${i}`,
  role_id: `R${i}`,
  account: { id: `A${i}`, device_id: `D${i}` },
  item_id: 'I1',
  amount_cents: 600,
  currency: 'CNY',
  channel: 'alipay',
  region: 'cn-east',
  client: { os: 'android', ver: '3.2.1' },
}));
const pays = orders.map((o, i) => ({
  event_time_ms: o.ts + 30_000,
  order_id: o.order_id,
  trans_id: `T${i}`,
  status: 'SUCCESS',
  amount: '6.00',
}));
const pages = orders.map((o) => ({
  time: '2026-11-24T03:00:00.123Z',
  orderId: o.order_id,
  page: 'pay',
  channel: 'alipay',
  ip: '10.1.2.3',
}));

const orderEx = compiled.extractor('client_order');
const payEx = compiled.extractor('pay_done');
const pageEx = compiled.extractor('pay_page');
time('extract client_order (11 fields, epoch ms)', N, (i) => orderEx.extract(orders[i % 1000]));
time('extract pay_done (numeric string)', N, (i) => payEx.extract(pays[i % 1000]));
time('extract pay_page (ISO 8601)', N, (i) => pageEx.extract(pages[i % 1000]));
time('extract + nodesFor pay_done', N, (i) => {
  const raw = pays[i % 1000];
  const out = payEx.extract(raw);
  if (out.ok) compiled.nodesFor('pay_done', raw, out.fields);
});

const filtered = compileTemplate(
  loadTemplate({
    ...JSON.parse(
      readFileSync(new URL('../examples/in-app-purchase.json', import.meta.url), 'utf8'),
    ),
    baseline: {
      ...JSON.parse(
        readFileSync(new URL('../examples/in-app-purchase.json', import.meta.url), 'utf8'),
      ).baseline,
      nodes: [
        {
          id: 'client_order',
          source: 'client_order',
          label: 'Order',
          filter: 'f.channel == "alipay" && raw.client.os != "ios"',
        },
        { id: 'pay_page', source: 'pay_page', label: 'Pay page' },
        { id: 'receipt', source: 'receipt', label: 'Receipt' },
        { id: 'pay_done', source: 'pay_done', label: 'Paid' },
      ],
    },
  }),
);
time('extract + nodesFor with a CEL filter', N, (i) => {
  const raw = orders[i % 1000];
  const out = orderEx.extract(raw);
  if (out.ok) filtered.nodesFor('client_order', raw, out.fields);
});

const rec = (eventTime: number, fields: Record<string, FieldValue>) => ({ eventTime, fields });
const sessions = orders.map((o, i) => ({
  nodes: [
    {
      node: 'client_order',
      records: [
        rec(o.ts, { order_id: o.order_id, role_id: o.role_id, channel: 'alipay', currency: 'CNY' }),
      ],
    },
    { node: 'pay_page', records: [rec(o.ts + 2_000, { order_id: o.order_id })] },
    {
      node: 'receipt',
      records: [rec(o.ts + 12_000, { order_id: o.order_id, receipt_verify: 'ok' })],
    },
    {
      node: 'pay_done',
      records: [
        rec(o.ts + 30_000, {
          order_id: o.order_id,
          trans_id: `T${i}`,
          pay_status: 'SUCCESS',
          paid_amount: 6,
        }),
      ],
    },
    { node: 'channel_callback', records: [rec(o.ts + 31_000, { trans_id: `T${i}` })] },
    {
      node: 'delivery',
      records:
        i % 10 === 0
          ? []
          : [rec(o.ts + 35_000, { role_id: o.role_id, bill_no: o.order_id, qty: 1 })],
    },
  ],
}));
time('evaluate session (3 derived, 6 conclusions)', 100_000, (i) =>
  compiled.evaluate(sessions[i % 1000]!),
);
time('shouldFireEarly ({all: true})', N, (i) => compiled.shouldFireEarly(sessions[i % 1000]!));

if (values.json !== undefined) {
  writeBenchResult(values.json, {
    benchmark: 'templates.evaluate',
    command: `npm run bench -w @weft/templates -- --runs ${String(RUNS)}`,
    startedAt: new Date().toISOString(),
    params: { template: 'in-app-purchase', runs: RUNS },
    metrics,
  });
}
