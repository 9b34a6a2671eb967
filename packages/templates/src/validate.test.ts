import { describe, expect, it } from 'vitest';
import { base, broken, type BrokenCase as Case } from '../test/support/broken-template.js';
import { loadTemplate, validateTemplate } from './validate.js';
import { TemplateValidationError } from './errors.js';

const cases: Case[] = [
  {
    name: 'baseline node with an undeclared source',
    edit: (t) => (t.baseline.nodes[2].source = 'pay_cb'),
    path: 'baseline.nodes[2].source',
    message: [
      '"pay_cb" is not a declared source; declared: client_order, pay_page, receipt, pay_done, channel_callback, delivery',
    ],
  },
  {
    name: 'baseline node reading a SQL table',
    edit: (t) => (t.baseline.nodes[0].source = 'item_catalog'),
    path: 'baseline.nodes[0].source',
    message: ['"item_catalog" is a SQL dimension table', 'use it in "enrichment"'],
  },
  {
    name: 'business key missing from a baseline source',
    edit: (t) => delete t.sources[2].fields.order_id,
    path: 'sources[2].fields',
    message: [
      'source "receipt" feeds baseline node "receipt" but extracts no business key "order_id"',
      'add fields.order_id',
    ],
  },
  {
    name: 'duplicate source id',
    edit: (t) => (t.sources[5].id = 'channel_callback'),
    path: 'sources[5].id',
    message: ['source "channel_callback" is already declared at sources[4]'],
  },
  {
    name: 'node id used twice',
    edit: (t) => (t.supplements[0].id = 'pay_done'),
    path: 'supplements[0].id',
    message: ['node "pay_done" is already declared at baseline.nodes[3]'],
  },
  {
    name: 'supplement with an undeclared source',
    edit: (t) => (t.supplements[1].source = 'deliveries'),
    path: 'supplements[1].source',
    message: ['"deliveries" is not a declared source; declared: client_order'],
  },
  {
    name: 'join on a session field no baseline source extracts',
    edit: (t) => (t.supplements[0].join[0].session = 'trans'),
    path: 'supplements[0].join[0].session',
    message: [
      '"trans" is not a field of the baseline sources',
      'baseline fields: order_id, role_id',
    ],
  },
  {
    name: 'join on a record field the supplement source lacks',
    edit: (t) => (t.supplements[1].join[1].record = 'bill'),
    path: 'supplements[1].join[1].record',
    message: [
      '"bill" is not a field of source "delivery"; its fields: role_id, bill_no, item_id, qty',
    ],
  },
  {
    name: 'join keys of different types',
    edit: (t) => (t.sources[5].fields.bill_no.type = 'number'),
    path: 'supplements[1].join[1]',
    message: ['session field "order_id" is string but record field "bill_no" is number'],
  },
  {
    name: 'anchor that is a supplement',
    edit: (t) => (t.supplements[1].anchor = 'channel_callback'),
    path: 'supplements[1].anchor',
    message: [
      '"channel_callback" is a supplement, not a baseline node',
      'client_order, pay_page, receipt, pay_done',
    ],
  },
  {
    name: 'inverted interval bounds',
    edit: (t) => (t.supplements[0].lower = '40m'),
    path: 'supplements[0].lower',
    message: ['lower (40m) is after upper (30m)', '[pay_done + 40m, pay_done + 30m] is empty'],
  },
  {
    name: 'empty interval with an exclusive end',
    edit: (t) =>
      Object.assign(t.supplements[0], { lower: '5m', upper: '5m', upperInclusive: false }),
    path: 'supplements[0].lower',
    message: ['lower equals upper (5m) and one end is exclusive'],
  },
  {
    name: 'gap longer than maxSpan',
    edit: (t) => (t.baseline.gap = '3h'),
    path: 'baseline.maxSpan',
    message: ['maxSpan (2h) is shorter than the session gap (3h)'],
  },
  {
    name: 'zero gap',
    edit: (t) => (t.baseline.gap = 0),
    path: 'baseline.gap',
    message: ['the session gap must be longer than 0'],
  },
  {
    name: 'unparseable duration',
    edit: (t) => (t.baseline.gap = '20 minutes'),
    path: 'baseline.gap',
    message: ['expected a duration like "20m", "90s", "2h"'],
  },
  {
    name: 'early fire on an unknown node',
    edit: (t) => (t.baseline.earlyFire = { nodes: ['pay_done', 'refund'] }),
    path: 'baseline.earlyFire.nodes[1]',
    message: ['"refund" is not a node; nodes: client_order'],
  },
  {
    name: 'early fire of the wrong shape',
    edit: (t) => (t.baseline.earlyFire = { any: true }),
    path: 'baseline.earlyFire',
    message: ['expected {"all": true}, {"nodes": ["node_id", …]} or {"expr": "CEL"}'],
  },
  {
    name: 'tree edge to an unknown node',
    edit: (t) => (t.tree.edges[0].to = 'paypage'),
    path: 'tree.edges[0].to',
    message: ['"paypage" is not a node; nodes: client_order, pay_page'],
  },
  {
    name: 'tree cycle',
    edit: (t) => {
      t.tree.edges.shift();
      t.tree.edges.push(
        { from: 'pay_done', to: 'client_order' },
        { from: 'client_order', to: 'pay_page' },
      );
    },
    path: 'tree.edges[5]',
    message: [
      'edge client_order → pay_page closes a cycle: pay_page → receipt → pay_done → client_order → pay_page',
    ],
  },
  {
    name: 'tree node with two parents',
    edit: (t) => t.tree.edges.push({ from: 'client_order', to: 'pay_done' }),
    path: 'tree.edges[5].to',
    message: [
      '"pay_done" already has parent "receipt"; in a behavior tree each node has one parent',
    ],
  },
  {
    name: 'dashboard dimension that does not exist',
    edit: (t) => (t.dashboards[0].dimensions[1] = 'chanel'),
    path: 'dashboards[0].dimensions[1]',
    message: ['"chanel" is not a session field or built-in; known: order_id', '$conclusion'],
  },
  {
    name: 'percentile of a string field',
    edit: (t) => (t.dashboards[0].measures[1].field = 'channel'),
    path: 'dashboards[0].measures[1].field',
    message: ['"p95" aggregates numbers but "channel" is string'],
  },
  {
    name: 'sum without a field',
    edit: (t) => delete t.dashboards[0].measures[2].field,
    path: 'dashboards[0].measures[2].field',
    message: ['aggregation "sum" needs a "field"'],
  },
  {
    name: 'filter that does not parse',
    edit: (t) => (t.baseline.nodes[1].filter = 'f.page == '),
    path: 'baseline.nodes[1].filter',
    message: ['CEL Unexpected token'],
  },
  {
    name: 'filter reading a field the source does not extract',
    edit: (t) => (t.baseline.nodes[1].filter = 'f.pages == "pay"'),
    path: 'baseline.nodes[1].filter',
    message: ['CEL No such key: pages', 'f.pages == "pay"'],
  },
  {
    name: 'filter that is not a condition',
    edit: (t) => (t.baseline.nodes[1].filter = 'f.page'),
    path: 'baseline.nodes[1].filter',
    message: ['the expression yields string but boolean is required'],
  },
  {
    name: 'conclusion condition that is a number',
    edit: (t) => (t.conclusions[1].when = 'count.delivery'),
    path: 'conclusions[1].when',
    message: ['the expression yields double but boolean is required'],
  },
  {
    name: 'conclusion on an undeclared node',
    edit: (t) => (t.conclusions[1].when = 'has_node.refund'),
    path: 'conclusions[1].when',
    message: ['CEL No such key: refund'],
  },
  {
    name: 'conclusion using an unknown variable',
    edit: (t) => (t.conclusions[1].when = 'deliveries >= 2'),
    path: 'conclusions[1].when',
    message: ['CEL Unknown variable: deliveries', 'session scope: f, nodes, records, has_node'],
  },
  {
    name: 'derived field of the wrong type',
    edit: (t) => (t.derived[0].type = 'number'),
    path: 'derived[0].expr',
    message: ['the expression yields bool but number is required'],
    // conclusions[0].when uses f.paid as a condition: a true consequence, reported too
    count: 2,
  },
  {
    name: 'derived field named like a session field',
    edit: (t) => (t.derived[1].name = 'channel'),
    path: 'derived[1].name',
    message: ['"channel" is already a session field (baseline client_order)'],
  },
  {
    name: 'derived field reading a later derived field',
    edit: (t) => (t.derived[0].expr = 'f.delivered_qty > 0'),
    path: 'derived[0].expr',
    message: ['CEL No such key: delivered_qty'],
  },
  {
    name: 'explanation placeholder naming no field',
    edit: (t) => (t.conclusions[0].explanation = 'Order {{orderid}} unpaid'),
    path: 'conclusions[0].explanation',
    message: [
      'placeholder {{orderid}}: "orderid" is not a session field; session fields: order_id',
    ],
  },
  {
    name: 'explanation placeholder with a bad expression',
    edit: (t) => (t.conclusions[0].explanation = 'x {{count.refund}}'),
    path: 'conclusions[0].explanation',
    message: ['placeholder {{count.refund}}: CEL No such key: refund'],
  },
  {
    name: 'enrichment from an event source',
    edit: (t) => (t.enrichment[0].source = 'pay_done'),
    path: 'enrichment[0].source',
    message: [
      '"pay_done" is a kafka source, not a SQL table; enrichment reads a SQL dimension table: item_catalog',
    ],
  },
  {
    name: 'enrichment adding a column the table lacks',
    edit: (t) => (t.enrichment[0].fields[1] = 'name'),
    path: 'enrichment[0].fields[1]',
    message: [
      '"name" is not a field of table source "item_catalog"; its fields: item_id, item_name, category, price_cents',
    ],
  },
  {
    name: 'enrichment field colliding with a baseline field',
    edit: (t) => t.enrichment[0].fields.push('item_id'),
    path: 'enrichment[0].fields[3]',
    message: ['"item_id" is already a session field from baseline source "client_order"'],
  },
  {
    name: 'enrichment keyed by an unknown session field',
    edit: (t) => (t.enrichment[0].on.session = 'item'),
    path: 'enrichment[0].on.session',
    message: ['"item" is not a field of the baseline sources'],
  },
  {
    name: 'unknown severity',
    edit: (t) => (t.conclusions[0].severity = 'urgent'),
    path: 'conclusions[0].severity',
    message: ['expected one of "info", "low", "medium", "high", "critical", got "urgent"'],
  },
  {
    name: 'misspelled property',
    edit: (t) => {
      t.baseline.gapp = t.baseline.gap;
    },
    path: 'baseline',
    message: ['unknown property "gapp": remove or fix the spelling'],
  },
  {
    name: 'field with both path and expr',
    edit: (t) => (t.sources[0].fields.order_id.expr = 'raw.order_id'),
    path: 'sources[0].fields.order_id',
    message: ['give exactly one of "path"', 'or "expr"'],
  },
  {
    name: 'unknown time encoding',
    edit: (t) => (t.sources[0].time.encoding = 'epoch_us'),
    path: 'sources[0].time.encoding',
    message: ['expected one of "epoch_ms", "epoch_s", "iso8601", got "epoch_us"'],
  },
  {
    name: 'source of an unknown kind',
    edit: (t) => (t.sources[0].kind = 'kinesis'),
    path: 'sources[0].kind',
    message: [
      'expected "kafka" (a topic), "ndjson" (a file or directory) or "sql" (a dimension table), got "kinesis"',
    ],
  },
  {
    name: 'reserved word as a node id',
    edit: (t) => (t.supplements[0].id = 'in'),
    path: 'supplements[0].id',
    message: ['"in" is a reserved word'],
  },
  {
    name: 'two sources on one topic',
    edit: (t) => (t.sources[1].topic = 'weft.src.client_order'),
    path: 'sources[1].topic',
    message: ['topic "weft.src.client_order" is already read by source "client_order"'],
  },
  {
    name: 'duplicate conclusion id',
    edit: (t) => (t.conclusions[3].id = 'double_delivery'),
    path: 'conclusions[3].id',
    message: ['conclusion "double_delivery" is already declared at conclusions[1]'],
  },
  {
    name: 'baseline sources disagreeing on a field type',
    edit: (t) => (t.sources[1].fields.channel.type = 'number'),
    path: 'sources[1].fields.channel.type',
    message: [
      'session field "channel" is number here but string in baseline source "client_order"',
    ],
  },
  {
    name: 'expression over the size cap',
    edit: (t) => (t.conclusions[5].when = `true${' && true'.repeat(300)}`),
    path: 'conclusions[5].when',
    message: ['characters; the limit is 2000'],
  },
  {
    name: 'expression nested too deep',
    edit: (t) => (t.conclusions[5].when = `${'('.repeat(40)}true${')'.repeat(40)}`),
    path: 'conclusions[5].when',
    message: ['CEL Exceeded maxDepth (32)'],
  },
  {
    name: 'version zero',
    edit: (t) => (t.version = 0),
    path: 'version',
    message: ['Too small'],
  },
];

describe('validateTemplate on broken templates', () => {
  it('has at least 25 distinct mistakes', () => {
    expect(new Set(cases.map((c) => c.path + c.message.join())).size).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('$name → $path', ({ edit, path, message, count }) => {
    const result = validateTemplate(broken(edit));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const atPath = result.errors.filter((e) => e.path === path);
    expect(
      atPath.map((e) => e.path),
      JSON.stringify(result.errors, null, 2),
    ).toEqual([path]);
    for (const fragment of message) expect(atPath[0]?.message).toContain(fragment);
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toHaveLength(count ?? 1);
  });
});

describe('validateTemplate input handling', () => {
  it('reports text that is not JSON at the root', () => {
    const result = validateTemplate('{ "id": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ path: '', code: 'not_json' });
  });

  it('accepts JSON text as well as parsed values', () => {
    expect(validateTemplate(JSON.stringify(base)).ok).toBe(true);
  });

  it('loadTemplate throws a TemplateValidationError listing every issue', () => {
    const bad = broken((t) => {
      t.baseline.gap = '3h';
      t.supplements[0].lower = '40m';
    });
    expect(() => loadTemplate(bad)).toThrow(TemplateValidationError);
    try {
      loadTemplate(bad);
    } catch (error) {
      const e = error as TemplateValidationError;
      expect(e.issues.map((i) => i.path)).toEqual(['baseline.maxSpan', 'supplements[0].lower']);
      expect(e.message).toContain('template is invalid (2 problems)');
    }
  });

  it('reports independent mistakes together, but not their consequences', () => {
    const result = validateTemplate(
      broken((t) => {
        t.baseline.nodes[2].source = 'pay_cb';
        t.supplements[0].lower = '45m';
        t.conclusions[0].when = 'f.nope';
      }),
    );
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual([
      'baseline.nodes[2].source',
      'supplements[0].lower',
    ]);
  });

  it('warns when a baseline source does not require the business key', () => {
    const result = validateTemplate(broken((t) => (t.sources[1].fields.order_id.required = false)));
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        path: 'sources[1].fields.order_id.required',
        code: 'key_not_required',
      }),
    ]);
  });

  it('warns when there are no conclusions', () => {
    const result = validateTemplate(broken((t) => (t.conclusions = [])));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.code)).toEqual(['no_conclusions']);
  });
});
