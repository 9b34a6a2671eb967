import { Environment } from '@marcbachmann/cel-js';
import { EXPRESSION_LIMITS } from './limits.js';
import { re2Matches } from './regex.js';
import type { FieldType } from './template.js';

/**
 * The CEL environments a template's expressions are checked and run in.
 *
 * - `record` scope (source `fields[].expr`, node and supplement `filter`):
 *   `raw` (the record as received, dynamic) and, for filters, `f.<field>` (the
 *   record's extracted fields).
 * - `session` scope (derived fields, conclusions, `earlyFire.expr`,
 *   explanation placeholders): `f.<field>`, `nodes.<node>.<field>`,
 *   `records.<node>`, `has_node.<node>`, `count.<node>`, `time.<node>`,
 *   `session.{start,end,duration_ms,record_count}`, and (derived fields,
 *   conclusions, placeholders) `entity.<kind>.<feature>`: the entity's
 *   features as of the session's observation time.
 *
 * Template numbers and timestamps are CEL `double` (timestamps: epoch ms), so
 * `f.amount > 9000` and `f.amount_cents / 100` both work: mixed int/double
 * arithmetic is registered here. A value that is absent (null field, node
 * without records) is an absent map key: test it with `has(f.x)` /
 * `has_node.x`; reading it makes the whole expression null.
 */

const CEL_TYPE: Readonly<Record<FieldType, string>> = {
  string: 'string',
  number: 'double',
  boolean: 'bool',
  timestamp: 'double',
};

/** The CEL type a template field type is exposed as. */
export function celTypeOf(type: FieldType): string {
  return CEL_TYPE[type];
}

/** Which variables an expression may read. */
export type ExpressionScope = 'record' | 'session';

/**
 * A prepared CEL environment; create once per template, reuse for every
 * expression. Expressions are type-checked against `cel`, whose variables
 * carry the template's field types, and run in `runtime`, which declares the
 * same variables as plain maps: a checked expression behaves the same there,
 * without converting every map into a typed object on each evaluation
 * (3–4× faster).
 */
export interface ExpressionEnvironment {
  readonly scope: ExpressionScope;
  /** @internal the type-checking cel-js environment */
  readonly cel: Environment;
  /** @internal the cel-js environment expressions are compiled in */
  readonly runtime: Environment;
  /** Session scope: the entity features `entity.<kind>.<feature>` may read (null: none here). */
  readonly entities?: Readonly<Record<string, readonly string[]>> | null;
}

type Arith = (a: number, b: number) => number;
const ARITHMETIC: Readonly<Record<string, Arith>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

/** Weft's list functions `sum`, `min`, `max`, `avg` (elements as numbers; shared with cel-closures.ts). */
export const LIST_REDUCERS: Readonly<Record<string, (values: readonly number[]) => number>> = {
  sum: (v) => v.reduce((s, x) => s + x, 0),
  min: (v) => (v.length === 0 ? Number.NaN : Math.min(...v)),
  max: (v) => (v.length === 0 ? Number.NaN : Math.max(...v)),
  avg: (v) => (v.length === 0 ? Number.NaN : v.reduce((s, x) => s + x, 0) / v.length),
};

function listReducer(reduce: (values: readonly number[]) => number) {
  return (list: readonly (number | bigint)[]): number => reduce(list.map(Number));
}

function baseEnvironment(): Environment {
  const env = new Environment({
    limits: {
      maxAstNodes: EXPRESSION_LIMITS.maxAstNodes,
      maxDepth: EXPRESSION_LIMITS.maxDepth,
      maxListElements: EXPRESSION_LIMITS.maxListElements,
      maxMapEntries: EXPRESSION_LIMITS.maxListElements,
    },
  });
  for (const [op, fn] of Object.entries(ARITHMETIC)) {
    env.registerOperator(`double ${op} int: double`, (a: number, b: bigint) => fn(a, Number(b)));
    env.registerOperator(`int ${op} double: double`, (a: bigint, b: number) => fn(Number(a), b));
  }
  // CEL compares numbers across types with <, >, …; make == and != agree with them.
  // (cel-js derives `int == double` and both `!=` from this one.)
  env.registerOperator('double == int', (a: number, b: bigint) => a === Number(b));
  for (const [name, reduce] of Object.entries(LIST_REDUCERS)) {
    for (const element of ['double', 'int', 'dyn']) {
      env.registerFunction({
        name,
        receiverType: `list<${element}>`,
        returnType: 'double',
        handler: listReducer(reduce),
        params: [],
        description: `${name} of a list of numbers (as double; empty list: 0 for sum, null otherwise)`,
      });
    }
  }
  // CEL's global form; the method form `text.matches(p)` is rejected at
  // validation because cel-js runs it with a backtracking RegExp.
  env.registerFunction({
    name: 'matches',
    returnType: 'bool',
    handler: re2Matches,
    params: [
      { name: 'text', type: 'string' },
      { name: 'pattern', type: 'string' },
    ],
    description: 'true when the RE2 pattern matches part of text (linear time)',
  });
  return env;
}

function schemaOf(fields: Readonly<Record<string, FieldType>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, type] of Object.entries(fields)) out[name] = celTypeOf(type);
  return out;
}

let base: Environment | undefined;

/** A fresh environment with Weft's operators and functions: a cheap clone of one frozen base. */
function freshEnvironment(): Environment {
  base ??= baseEnvironment();
  return base.clone();
}

let recordRuntime: Environment | undefined;
let sessionRuntime: Environment | undefined;

function getRecordRuntime(): Environment {
  recordRuntime ??= freshEnvironment()
    .registerVariable('raw', 'map')
    .registerVariable('f', 'map<string, dyn>');
  return recordRuntime;
}

function getSessionRuntime(): Environment {
  sessionRuntime ??= freshEnvironment()
    .registerVariable('f', 'map<string, dyn>')
    .registerVariable('nodes', 'map<string, map<string, dyn>>')
    .registerVariable('records', 'map<string, list<map<string, dyn>>>')
    .registerVariable('has_node', 'map<string, bool>')
    .registerVariable('count', 'map<string, double>')
    .registerVariable('time', 'map<string, double>')
    .registerVariable('session', 'map<string, double>')
    .registerVariable('entity', 'map<string, map<string, dyn>>');
  return sessionRuntime;
}

/**
 * The environment of source field expressions (`fields` = undefined: only
 * `raw`) and node filters (`fields` = the source's fields, as `f`).
 *
 * @example compileExpression('f.verify == "ok"', recordEnvironment({ verify: 'string' }), { path: 'x' })
 */
export function recordEnvironment(
  fields?: Readonly<Record<string, FieldType>>,
): ExpressionEnvironment {
  const cel = freshEnvironment().registerVariable('raw', 'map', {
    description: 'the record exactly as received (parsed JSON)',
  });
  if (fields !== undefined) {
    cel.registerVariable({ name: 'f', schema: schemaOf(fields) });
  }
  return { scope: 'record', cel, runtime: getRecordRuntime() };
}

/** What a session-scope environment is built from (see {@link sessionEnvironment}). */
export interface SessionScopeSpec {
  /** Session fields visible as `f.<name>`. */
  fields: Readonly<Record<string, FieldType>>;
  /** Every node id with the fields its records carry. */
  nodes: Readonly<Record<string, Readonly<Record<string, FieldType>>>>;
  /** Entity kind → its feature names, readable as `entity.<kind>.<feature>` (numbers); omit where features are not read yet. */
  entities?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The environment of derived fields, conclusions, early-fire expressions and
 * explanation placeholders.
 *
 * @example sessionEnvironment({ fields: { paid: 'boolean' }, nodes: { delivery: { qty: 'number' } } })
 */
export function sessionEnvironment(spec: SessionScopeSpec): ExpressionEnvironment {
  const cel = freshEnvironment();
  const nodeTypes: Record<string, string> = {};
  const listTypes: Record<string, string> = {};
  const flags: Record<string, string> = {};
  const numbers: Record<string, string> = {};
  for (const [id, fields] of Object.entries(spec.nodes)) {
    const typeName = `weft_node_${id}`;
    cel.registerType(typeName, { fields: schemaOf(fields) });
    nodeTypes[id] = typeName;
    listTypes[id] = `list<${typeName}>`;
    flags[id] = 'bool';
    numbers[id] = 'double';
  }
  cel
    .registerVariable({ name: 'f', schema: schemaOf(spec.fields) })
    .registerVariable({ name: 'nodes', schema: nodeTypes })
    .registerVariable({ name: 'records', schema: listTypes })
    .registerVariable({ name: 'has_node', schema: flags })
    .registerVariable({ name: 'count', schema: numbers })
    .registerVariable({ name: 'time', schema: numbers })
    .registerVariable({
      name: 'session',
      schema: { start: 'double', end: 'double', duration_ms: 'double', record_count: 'double' },
    });
  const kinds: Record<string, string> = {};
  for (const [kind, features] of Object.entries(spec.entities ?? {})) {
    const typeName = `weft_entity_${kind}`;
    cel.registerType(typeName, {
      fields: Object.fromEntries(features.map((name) => [name, 'double'])),
    });
    kinds[kind] = typeName;
  }
  cel.registerVariable({ name: 'entity', schema: kinds });
  return { scope: 'session', cel, runtime: getSessionRuntime(), entities: spec.entities ?? null };
}
