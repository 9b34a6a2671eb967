import { describe, expect, it } from 'vitest';
import { compileExpression, toFieldValue } from './cel-compile.js';
import { recordEnvironment, sessionEnvironment } from './cel-environment.js';
import { ExpressionError } from './errors.js';

const session = sessionEnvironment({
  fields: { amount: 'number', status: 'string', paid: 'boolean' },
  nodes: { delivery: { qty: 'number' }, pay_done: { status: 'string' } },
});
const vars = {
  f: { amount: 9500, status: 'SUCCESS', paid: true },
  nodes: { pay_done: { status: 'SUCCESS' } },
  records: { delivery: [{ qty: 1 }, { qty: 2 }], pay_done: [{ status: 'SUCCESS' }] },
  has_node: { delivery: true, pay_done: true },
  count: { delivery: 2, pay_done: 1 },
  time: { delivery: 2_000, pay_done: 1_000 },
  session: { start: 1_000, end: 2_000, duration_ms: 1_000, record_count: 3 },
};
const run = (expr: string, v: object = vars): unknown =>
  compileExpression(expr, session, { path: 'p' }).tryEvaluate(v);

describe('compileExpression', () => {
  it('mixes template numbers (double) with integer literals', () => {
    expect(run('f.amount >= 9000 && f.amount < 10000')).toEqual({ ok: true, value: true });
    expect(run('f.amount / 100')).toEqual({ ok: true, value: 95 });
    expect(run('count.delivery == 2')).toEqual({ ok: true, value: true });
    expect(run('2 + count.delivery')).toEqual({ ok: true, value: 4 });
  });

  it('reads nodes, records, times and session metrics', () => {
    expect(run('records.delivery.map(r, r.qty).sum()')).toEqual({ ok: true, value: 3 });
    expect(run('records.delivery.exists(r, r.qty > 1)')).toEqual({ ok: true, value: true });
    expect(run('nodes.pay_done.status == "SUCCESS"')).toEqual({ ok: true, value: true });
    expect(run('time.delivery - time.pay_done')).toEqual({ ok: true, value: 1_000 });
    expect(run('session.duration_ms')).toEqual({ ok: true, value: 1_000 });
  });

  it('returns JSON-safe numbers: integers as numbers, no BigInt', () => {
    const value = compileExpression('size("abc")', session, { path: 'p' }).evaluate(vars);
    expect(value).toBe(3);
    expect(typeof value).toBe('number');
  });

  it('rejects integers beyond Number.MAX_SAFE_INTEGER and non-finite results', () => {
    expect(run('9007199254740993 + 0')).toEqual({
      ok: false,
      error: 'integer result 9007199254740993 is beyond ±(2^53-1) and not JSON-safe',
    });
    expect(run('f.amount / 0')).toMatchObject({
      ok: false,
      error: 'result Infinity is not a finite number',
    });
  });

  it('makes a read of an absent value null, and has() tests presence', () => {
    const absent = {
      ...vars,
      f: {},
      nodes: {},
      has_node: { delivery: false, pay_done: false },
      time: {},
    };
    const c = compileExpression('nodes.pay_done.status == "SUCCESS"', session, {
      path: 'p',
      expect: 'boolean',
    });
    expect(c.evaluate(absent)).toBeNull();
    expect(c.test(absent)).toBe(false);
    expect(run('has(f.status)', absent)).toEqual({ ok: true, value: false });
    expect(run('has_node.pay_done && nodes.pay_done.status == "x"', absent)).toEqual({
      ok: true,
      value: false,
    });
  });

  it("keeps cel-js's message for an absent value and leaves the stack trace limit as it was", () => {
    const before = Error.stackTraceLimit;
    expect(run('time.delivery - time.pay_done', { ...vars, time: {} })).toEqual({
      ok: false,
      error: 'No such key: delivery',
    });
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('names the template path and the problem in every error', () => {
    const fail = (expr: string, want?: 'boolean' | 'number'): string => {
      try {
        compileExpression(expr, session, {
          path: 'conclusions[2].when',
          ...(want ? { expect: want } : {}),
        });
      } catch (error) {
        expect(error).toBeInstanceOf(ExpressionError);
        return (error as Error).message;
      }
      throw new Error('expected a failure');
    };
    expect(fail('f.amount > ')).toMatch(/^conclusions\[2\]\.when: CEL Unexpected token/);
    expect(fail('f.amout > 1')).toContain('No such key: amout at column 3');
    expect(fail('f.status', 'boolean')).toContain('yields string but boolean is required');
    expect(fail('[1, 2]')).toContain('yields list<int>; only strings, numbers and booleans');
    expect(fail('x'.repeat(2001))).toContain('2001 characters; the limit is 2000');
    expect(fail(`${'('.repeat(40)}1${')'.repeat(40)}`)).toContain('Exceeded maxDepth (32)');
    expect(fail('f.status + 1')).toContain('no such overload: string + int');
  });

  it('gives record-scope expressions raw and the source fields', () => {
    const env = recordEnvironment({ verify: 'string' });
    const c = compileExpression('f.verify == "ok" && raw.receipt.id.startsWith("RC")', env, {
      path: 'baseline.nodes[2].filter',
      expect: 'boolean',
    });
    expect(c.test({ raw: { receipt: { id: 'RC1' } }, f: { verify: 'ok' } })).toBe(true);
    expect(c.test({ raw: {}, f: { verify: 'ok' } })).toBe(false);
    expect(() => compileExpression('nodes.x', env, { path: 'p' })).toThrow(
      /Unknown variable: nodes/,
    );
  });
});

describe('toFieldValue', () => {
  it('converts to the declared type or explains why not', () => {
    expect(toFieldValue(3n, 'number')).toEqual({ ok: true, value: 3 });
    expect(toFieldValue(new Date(5), 'timestamp')).toEqual({ ok: true, value: 5 });
    expect(toFieldValue('x', 'boolean')).toEqual({
      ok: false,
      error: 'expected a boolean, got "x"',
    });
    expect(toFieldValue(new Map(), undefined)).toMatchObject({ ok: false });
  });
});
