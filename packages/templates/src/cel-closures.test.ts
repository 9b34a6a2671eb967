import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAIL, compileClosure } from './cel-closures.js';
import { sessionEnvironment } from './cel-environment.js';
import { loadTemplate } from './validate.js';

const RUNS = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const env = sessionEnvironment({ fields: {}, nodes: {} });

function celJs(source: string, vars: object): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: env.runtime.parse(source)(vars) };
  } catch {
    return { ok: false };
  }
}

type Parsed = { ast: unknown; check(): { valid: boolean } };

function fast(source: string) {
  return compileClosure((env.runtime.parse(source) as unknown as Parsed).ast);
}

/** Expressions reach evaluation only after type-checking (compileExpression); so do these. */
function typeChecks(source: string): boolean {
  return (env.runtime.parse(source) as unknown as Parsed).check().valid;
}

const scalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0.5, -2.5, 1e308, Number.MAX_SAFE_INTEGER),
  fc.constantFrom('x', 'y', '', 'xy'),
  fc.boolean(),
);
const fields = fc.dictionary(fc.constantFrom('a', 'b', 'c'), scalar, { maxKeys: 3 });
const vars = fc.record({
  f: fc.record({
    a: scalar,
    b: scalar,
    n: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -10, max: 10, noNaN: true })),
    s: fc.constantFrom('x', 'y', 'xy'),
  }),
  nodes: fc.record({ d: fields }),
  records: fc.record({ d: fc.array(fields, { maxLength: 3 }) }),
  has_node: fc.record({ d: fc.boolean() }),
  count: fc.record({ d: fc.integer({ min: 0, max: 3 }) }),
  time: fc.record({ d: fc.integer({ min: 0, max: 10 }) }),
  session: fc.record({
    start: fc.integer({ min: 0, max: 10 }),
    end: fc.integer({ min: 0, max: 10 }),
  }),
});

const atom = fc.constantFrom(
  'f.a',
  'f.b',
  'f.c',
  'nodes.d.a',
  'f["a"]',
  'count.d',
  'time.d',
  'session.start',
  'has_node.d',
  'has(f.a)',
  'has(nodes.d.b)',
  '0',
  '1',
  '2',
  '-3',
  '9223372036854775807',
  '1.5',
  '0.0',
  '"x"',
  '"y"',
  'true',
  'false',
  'null',
  'size(records.d)',
  'records.d.size()',
  'records.d.map(r, r.a).sum()',
  'records.d.map(r, r.a).max()',
  'records.d.map(r, r.b).avg()',
  'records.d.map(r, r.a).min()',
  'records.d.exists(r, r.a > 1)',
  'records.d.all(r, r.b == "x")',
  'records.d.filter(r, has(r.c)).size()',
  'records.d.map(r, r.a)[0]',
  'f.a.startsWith("x")',
  'f.b.contains(f.c)',
  'f.a in ["x", "y"]',
  'f.a in [1.0, 2.0]',
  'f.b in [1, 2]',
);
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '&&', '||'),
        tie('expr'),
      )
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('expr').map((a) => `!${a}`),
    tie('expr').map((a) => `-${a}`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
}));

/** Well-typed numeric and boolean expressions: what templates write, decided far more often. */
const typed = fc.letrec<{ num: string; bool: string }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'f.n',
      'count.d',
      'time.d',
      'session.start',
      '1',
      '2.5',
      '-1',
      'double(count.d)',
    ),
    fc
      .tuple(tie('num'), fc.constantFrom('+', '-', '*', '/'), tie('num'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('bool'), tie('num'), tie('num')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.constantFrom('records.d.map(r, r.a).sum()', 'records.d.map(r, f.n).max()'),
  ),
  bool: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'has_node.d',
      'has(f.a)',
      'f.s == "x"',
      'f.s.startsWith("x")',
      'f.s in ["x", "xy"]',
    ),
    fc
      .tuple(tie('num'), fc.constantFrom('==', '!=', '<', '<=', '>', '>='), tie('num'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(tie('bool'), fc.constantFrom('&&', '||', '==', '!='), tie('bool'))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('bool').map((a) => `!${a}`),
    tie('bool').map((a) => `records.d.exists(r, ${a})`),
    tie('bool').map((a) => `records.d.all(r, ${a})`),
  ),
}));

describe('compileClosure', () => {
  it('answers exactly what cel-js answers whenever it does not bail', () => {
    let decided = 0;
    fc.assert(
      fc.property(fc.oneof(expr, typed.num, typed.bool), vars, (source, v) => {
        if (!typeChecks(source)) return;
        const program = fast(source);
        if (program === null) return;
        const value = program(v);
        if (value === BAIL) return;
        decided++;
        expect(celJs(source, v)).toEqual({ ok: true, value });
      }),
      { numRuns: RUNS * 5 },
    );
    // The property is not vacuous: most generated cases are decided by the fast path.
    expect(decided).toBeGreaterThan(RUNS);
  });

  it('decides every expression of the example template on a normal session without cel-js', () => {
    const template = loadTemplate(
      JSON.parse(
        readFileSync(new URL('../examples/in-app-purchase.json', import.meta.url), 'utf8'),
      ),
    );
    const session = {
      f: { paid: true, order_id: 'O1', paid_amount: 6, currency: 'CNY', trans_id: 'T1' },
      nodes: { pay_done: { pay_status: 'SUCCESS' }, receipt: { receipt_verify: 'ok' } },
      records: { delivery: [{ qty: 1 }, { qty: 2 }] },
      has_node: {
        client_order: true,
        pay_page: true,
        receipt: true,
        pay_done: true,
        channel_callback: true,
        delivery: true,
      },
      count: {
        client_order: 1,
        pay_page: 1,
        receipt: 1,
        pay_done: 1,
        channel_callback: 1,
        delivery: 2,
      },
      time: { client_order: 1_000, pay_done: 31_000 },
      session: { start: 1_000, end: 40_000, duration_ms: 39_000, record_count: 7 },
      entity: { account: { payments_10m: 4, payments_1h: 5 }, device: { accounts_linked: 1 } },
    };
    const sources = [
      ...template.derived.map((d) => d.expr),
      ...template.conclusions.map((c) => c.when),
    ];
    for (const source of sources) {
      const value = fast(source)?.(session);
      expect(value, source).not.toBe(BAIL);
      expect(celJs(source, session), source).toEqual({ ok: true, value });
    }
  });

  it('agrees with cel-js at the boundaries: equal values, int against double, empty lists', () => {
    const v = {
      f: { one: 1, half: 0.5, s: 'x', t: true },
      records: { none: [], two: [{ q: 1 }, { q: 2 }] },
    };
    const sources = [
      ...['<', '<=', '>', '>=', '==', '!='].flatMap((op) => [
        `f.one ${op} 1`,
        `1 ${op} f.one`,
        `f.one ${op} 1.0`,
        `f.half ${op} 1`,
        `2 ${op} 2`,
        `f.s ${op === '==' || op === '!=' ? op : '=='} "x"`,
      ]),
      'f.one + 1',
      '1 + f.one',
      '3 - 5',
      '2 * 3',
      'f.one / 4',
      'f.s + "y"',
      '-f.half',
      'f.t && !f.t',
      'f.t || false',
      'f.t ? 1 : 2',
      'records.none.map(r, r.q).sum()',
      'records.two.map(r, r.q).sum()',
      'records.two.map(r, r.q).avg()',
      'records.two.map(r, r.q).min()',
      'records.two.filter(r, r.q > 1).size()',
      'records.two.exists(r, r.q == 2)',
      'records.two.all(r, r.q == 2)',
      'records.none.all(r, r.q == 2)',
      'records.none.exists(r, r.q == 2)',
      'size(records.two)',
      'records.two[1].q',
      'f["s"]',
      'has(f.s) && !has(f.z)',
      'f.s in ["x", "y"]',
      'f.one in [1.0, 2.0]',
      '"xy".contains(f.s)',
      '"xy".endsWith("y")',
    ];
    for (const source of sources) {
      const value = fast(source)?.(v);
      expect(value, source).not.toBe(BAIL);
      expect(celJs(source, v), source).toEqual({ ok: true, value });
    }
  });

  it('leaves constructs outside the fast path to cel-js', () => {
    expect(fast('{"a": 1}.a')).toBeNull();
    expect(fast('f.a % 2 == 0')).toBeNull();
    expect(fast('records.d.exists_one(r, r.a > 1)')).toBeNull();
    expect(fast('matches(f.a, "x")')).toBeNull();
    expect(fast('f.a.toString()')).toBeNull();
  });

  it('bails on absent keys, nulls, mixed lists and non-finite results', () => {
    const v = { f: { a: null, n: 1, s: 'x', list: [1, 'x'] } };
    expect(fast('f.missing == 1')!(v)).toBe(BAIL);
    expect(fast('f.a == null')!(v)).toBe(BAIL);
    expect(fast('has(f.a)')!(v)).toBe(BAIL);
    expect(fast('f.list.sum()')!(v)).toBe(BAIL);
    expect(fast('f.n / 0.0')!(v)).toBe(BAIL);
    expect(fast('f.s < "y"')!(v)).toBe(BAIL);
    expect(fast('size(f.s)')!(v)).toBe(BAIL);
    expect(fast('9223372036854775807 + 1')!(v)).toBe(BAIL);
  });
});
