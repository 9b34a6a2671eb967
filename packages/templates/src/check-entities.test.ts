import { describe, expect, it } from 'vitest';
import {
  base,
  broken,
  type BrokenCase as Case,
  type Json,
} from '../test/support/broken-template.js';
import { validateTemplate } from './validate.js';

const account = (t: Json) => t.entities.kinds[0];
const device = (t: Json) => t.entities.kinds[1];

const cases: Case[] = [
  {
    name: 'entity kind declared twice',
    edit: (t) => (t.entities.kinds[2].id = 'device'),
    path: 'entities.kinds[2].id',
    message: ['entity kind "device" is already declared at entities.kinds[1]'],
  },
  {
    name: 'entity key that is not a session field',
    edit: (t) => (account(t).field = 'acount_id'),
    path: 'entities.kinds[0].field',
    message: ['"acount_id" is not a session field; session fields: order_id, role_id, account_id'],
  },
  {
    name: 'entity key that is a boolean',
    edit: (t) => {
      t.sources[0].fields.vip = { path: 'vip', type: 'boolean' };
      account(t).field = 'vip';
    },
    path: 'entities.kinds[0].field',
    message: ['"vip" is a boolean field; an entity key must be a string or number field'],
  },
  {
    name: 'entity key that is a derived field',
    edit: (t) => (account(t).field = 'paid'),
    path: 'entities.kinds[0].field',
    message: [
      '"paid" is a derived field; entity keys and feature fields are read before derived fields are computed',
    ],
  },
  {
    name: 'feature over a derived field',
    edit: (t) => (account(t).features[2].field = 'delivered_qty'),
    path: 'entities.kinds[0].features[2].field',
    message: ['"delivered_qty" is a derived field', 'use a baseline or enrichment field'],
  },
  {
    name: 'conclusion reading a feature that is not declared',
    edit: (t) => (t.conclusions[0].when = 'entity.account.payments_2h > 3'),
    path: 'conclusions[0].when',
    message: [
      'entity.account.payments_2h: "payments_2h" is not a feature of entity kind "account"; its features: payments_10m, payments_1h',
      'add it to entities.kinds[0].features',
    ],
  },
  {
    name: 'derived field reading an entity kind that is not declared',
    edit: (t) => (t.derived[0].expr = 'entity.card.attempts_1h > 3'),
    path: 'derived[0].expr',
    message: ['entity.card.attempts_1h: "card" is not an entity kind; kinds: account, device, ip'],
  },
  {
    name: 'entity features read by earlyFire',
    edit: (t) => (t.baseline.earlyFire = { expr: 'entity.account.payments_1h > 3' }),
    path: 'baseline.earlyFire.expr',
    message: ['entity.account.payments_1h: entity features cannot be read here'],
  },
  {
    name: 'entity features without an entities section',
    edit: (t) => {
      delete t.entities;
      t.conclusions = t.conclusions.slice(0, 6);
      t.conclusions[1].when = 'entity.account.payments_1h > 3';
    },
    path: 'conclusions[1].when',
    message: ['the template declares no entities: add an "entities" section with kind "account"'],
  },
  {
    name: 'observation node that does not exist',
    edit: (t) => (account(t).at = 'paydone'),
    path: 'entities.kinds[0].at',
    message: ['"paydone" is not a node; nodes: client_order, pay_page'],
  },
  {
    name: 'observation at a supplement',
    edit: (t) => (account(t).at = 'delivery'),
    path: 'entities.kinds[0].at',
    message: ['"delivery" is a supplement', 'observe at a baseline node: client_order, pay_page'],
  },
  {
    name: 'feature name used twice in a kind',
    edit: (t) => (account(t).features[1].name = 'payments_10m'),
    path: 'entities.kinds[0].features[1].id',
    message: [
      'feature of "account" "payments_10m" is already declared at entities.kinds[0].features[0]',
    ],
  },
  {
    name: 'sum of a string field',
    edit: (t) => (account(t).features[2].field = 'currency'),
    path: 'entities.kinds[0].features[2].field',
    message: ['sum needs a number field; "currency" is string: use distinct or count instead'],
  },
  {
    name: 'count with a field',
    edit: (t) => (account(t).features[0].field = 'paid_amount'),
    path: 'entities.kinds[0].features[0].field',
    message: ['count reads no field: remove "field"'],
  },
  {
    name: 'sum without a field',
    edit: (t) => delete account(t).features[2].field,
    path: 'entities.kinds[0].features[2].field',
    message: ['sum needs "field": the session field it aggregates'],
  },
  {
    name: 'distinct of an unknown field',
    edit: (t) => (device(t).features[0].field = 'account'),
    path: 'entities.kinds[1].features[0].field',
    message: ['"account" is not a session field'],
  },
  {
    name: 'windowed feature without a window',
    edit: (t) => delete account(t).features[1].window,
    path: 'entities.kinds[0].features[1].window',
    message: ['count reads a window: add "window", e.g. "1h"'],
  },
  {
    name: 'empty window',
    edit: (t) => (account(t).features[1].window = '0s'),
    path: 'entities.kinds[0].features[1].window.last',
    message: ['the window is empty (0)'],
  },
  {
    name: 'retention shorter than the window',
    edit: (t) => (account(t).features[4].window = { last: '30d', offset: '1d', retain: '7d' }),
    path: 'entities.kinds[0].features[4].window.retain',
    message: ['retain (7d) is shorter than what the window reads, last + offset = 31d'],
  },
  {
    name: 'history beyond a year',
    edit: (t) => (account(t).features[5].window = { last: '400d' }),
    path: 'entities.kinds[0].features[5].window',
    message: ['the window keeps 400d of history; the limit is 366d'],
  },
  {
    name: 'window duration that does not parse',
    edit: (t) => (account(t).features[1].window = 'one hour'),
    path: 'entities.kinds[0].features[1].window',
    message: ['expected a duration like "1h", "24h", "30d" or {"last": "30d"'],
  },
  {
    name: 'graph feature without links',
    edit: (t) => {
      delete t.entities.links;
      device(t).features.pop();
      t.conclusions[7].explanation = 'Device {{device_id}} is shared.';
    },
    path: 'entities.kinds[1].features[1].agg',
    message: ['neighbours reads the identity graph: declare "entities.links"'],
  },
  {
    name: 'graph feature counting an undeclared kind',
    edit: (t) => (device(t).features[2].of = 'card'),
    path: 'entities.kinds[1].features[2].of',
    message: ['"card" is not an entity kind; kinds: account, device, ip'],
  },
  {
    name: 'graph feature with a window',
    edit: (t) => (device(t).features[1].window = '7d'),
    path: 'entities.kinds[1].features[1].window',
    message: ['neighbours reads the identity graph as linked so far, not a window'],
  },
  {
    name: 'windowed feature with "of"',
    edit: (t) => (account(t).features[1].of = 'device'),
    path: 'entities.kinds[0].features[1].of',
    message: ['"of" belongs to graph features'],
  },
  {
    name: 'query lag beyond a week',
    edit: (t) => (t.entities.queryLag = '8d'),
    path: 'entities.queryLag',
    message: ['queryLag 8d is longer than 7d'],
  },
  {
    name: 'unknown aggregation',
    edit: (t) => (account(t).features[0].agg = 'average'),
    path: 'entities.kinds[0].features[0].agg',
    message: ['expected one of "count", "sum", "min", "max", "distinct", "last_seen"'],
  },
  {
    name: 'no entity kinds',
    edit: (t) => (t.entities.kinds = []),
    path: 'entities.kinds',
    message: ['declare at least one entity kind'],
  },
];

describe('validateTemplate on broken entity sections', () => {
  it.each(cases)('$name → $path', ({ edit, path, message }) => {
    const result = validateTemplate(broken(edit));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(
      result.errors.map((e) => e.path),
      JSON.stringify(result.errors, null, 2),
    ).toEqual([path]);
    for (const fragment of message) expect(result.errors[0]?.message).toContain(fragment);
  });
});

describe('the entities section', () => {
  it('parses windows to ms, with a duration string as shorthand for {last}', () => {
    const result = validateTemplate(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [payments10m, , , , devices30d, lastPaid] =
      result.template.entities?.kinds[0]?.features ?? [];
    expect(payments10m?.window).toEqual({ last: 600_000, offset: 0 });
    expect(devices30d?.window).toEqual({
      last: 30 * 86_400_000,
      offset: 0,
      retain: 90 * 86_400_000,
    });
    expect(lastPaid?.window).toEqual({ last: 90 * 86_400_000, offset: 86_400_000 });
    expect(result.template.entities?.queryLag).toBe(3_600_000);
  });

  it('is optional', () => {
    const result = validateTemplate(
      broken((t) => {
        delete t.entities;
        t.conclusions = t.conclusions.filter((c: Json) => !String(c.when).includes('entity.'));
      }),
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.template.entities).toBeUndefined();
  });
});
