import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  compileTemplate,
  EXPRESSION_LIMITS,
  loadTemplate,
  recordEnvironment,
  validateTemplate,
} from '../src/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures edit arbitrary JSON paths
type Json = any;

const base = JSON.parse(
  readFileSync(new URL('../examples/in-app-purchase.json', import.meta.url), 'utf8'),
) as Json;

/** The example with conclusion 0's condition replaced. */
function withCondition(when: string): Json {
  const t = structuredClone(base) as Json;
  t.conclusions[0].when = when;
  return t;
}

function errorsOf(template: Json): { path: string; message: string }[] {
  const result = validateTemplate(template);
  return result.ok ? [] : result.errors;
}

const nested = (depth: number) => `${'('.repeat(depth)}f.paid${')'.repeat(depth)}`;

/** Conditions an attacker (or a careless analyst) might publish, and what the rejection must say. */
const hostile: { name: string; when: string; message: RegExp }[] = [
  {
    name: 'longer than the limit',
    when: `f.paid || ${Array.from({ length: 400 }, () => 'f.paid').join(' || ')}`,
    message: /limit is 2000/,
  },
  {
    name: 'nested deeper than the limit',
    when: nested(EXPRESSION_LIMITS.maxDepth + 8),
    message: /depth/i,
  },
  {
    name: 'more AST nodes than the limit',
    when: `${Array.from({ length: 330 }, () => '1').join('+')} > 0`,
    message: /nodes|AST/i,
  },
  {
    name: 'backtracking regex through the method form',
    when: 'nodes.pay_done.pay_status.matches("^(a+)+$")',
    message: /write matches\(text, pattern\)/,
  },
  {
    name: 'a pattern RE2 rejects (lookbehind)',
    when: 'matches(nodes.pay_done.pay_status, "(?<=a)b")',
    message: /invalid regular expression "\(\?<=a\)b" \(RE2 syntax\)/,
  },
  {
    name: 'nested list macros (quadratic per record)',
    when: 'records.delivery.exists(a, records.delivery.exists(b, a.qty != b.qty))',
    message: /inside another list macro is not allowed/,
  },
  { name: 'type confusion: bool + int', when: 'f.paid + 1 > 0', message: /overload|type/i },
  {
    name: 'type confusion: string compared with int',
    when: 'nodes.pay_done.pay_status > 5',
    message: /overload|type/i,
  },
  { name: 'the host process', when: 'process.env.HOME == ""', message: /process/ },
  { name: 'a module loader', when: 'require("fs") == null', message: /require/ },
  { name: 'the global object', when: 'globalThis.fetch == null', message: /globalThis/ },
  {
    name: 'the constructor chain',
    when: 'f.constructor.constructor("return process")() == null',
    message: /constructor/,
  },
];

describe('hostile templates are rejected at validation', () => {
  it.each(hostile)('$name', ({ when, message }) => {
    const errors = errorsOf(withCondition(when));
    expect(errors.map((e) => e.path)).toContain('conclusions[0].when');
    expect(errors.find((e) => e.path === 'conclusions[0].when')?.message).toMatch(message);
  });

  it('accepts the same conditions written safely', () => {
    for (const when of [
      nested(EXPRESSION_LIMITS.maxDepth - 8),
      'matches(nodes.pay_done.pay_status, "^SUCC(ESS)?$")',
      'records.delivery.exists(r, r.qty > 1)',
    ]) {
      expect(errorsOf(withCondition(when)), when).toEqual([]);
    }
  });
});

describe('evaluation is bounded', () => {
  it('matches() runs in linear time on input that makes a backtracking engine hang', () => {
    const expression = compileExpression(
      'matches(f.s, "^(a+)+$")',
      recordEnvironment({ s: 'string' }),
      { path: 'x', expect: 'boolean' },
    );
    // A backtracking engine needs ~2^n steps here; RE2 needs n.
    expect(expression.tryEvaluate({ raw: {}, f: { s: `${'a'.repeat(100_000)}!` } })).toEqual({
      ok: true,
      value: false,
    });
    expect(expression.evaluate({ raw: {}, f: { s: 'aaaa' } })).toBe(true);
  });

  it('a pattern read from data that is not valid RE2 yields no value, not a crash', () => {
    const expression = compileExpression(
      'matches(f.s, f.p)',
      recordEnvironment({ s: 'string', p: 'string' }),
      { path: 'x', expect: 'boolean' },
    );
    const result = expression.tryEvaluate({ raw: {}, f: { s: 'a', p: '(' } });
    expect(result.ok).toBe(false);
    expect(expression.test({ raw: {}, f: { s: 'a', p: '(' } })).toBe(false);
  });

  it('a published template reads only its own session: records cannot reach the prototype chain', () => {
    const compiled = compileTemplate(loadTemplate(withCondition('has_node.pay_done')));
    const extractor = compiled.extractor('pay_done');
    const raw = JSON.parse(
      '{"event_time_ms":1764000000000,"order_id":"O1","trans_id":"T1","status":"SUCCESS","amount":"6.00","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    ) as object;
    const out = extractor.extract(raw);
    expect(out.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
