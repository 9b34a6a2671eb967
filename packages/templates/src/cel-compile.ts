import { ExpressionError } from './errors.js';
import { EXPRESSION_LIMITS } from './limits.js';
import { BAIL, compileClosure } from './cel-closures.js';
import { convertValue } from './convert.js';
import { entityReferenceProblem } from './entity-references.js';
import { unsafeConstruct } from './expression-safety.js';
import type { ExpressionEnvironment } from './cel-environment.js';
import type { FieldValue } from './session.js';
import type { FieldType } from './template.js';

/** The CEL result types acceptable for each declared template type (`dyn` is checked at run time). */
const ACCEPTS: Readonly<Record<FieldType, readonly string[]>> = {
  string: ['string', 'dyn'],
  number: ['double', 'int', 'uint', 'dyn'],
  boolean: ['bool', 'dyn'],
  timestamp: ['double', 'int', 'uint', 'timestamp', 'dyn'],
};

/** What to compile an expression for. */
export interface CompileOptions {
  /** Template path of the expression, used in every error, e.g. `conclusions[2].when`. */
  path: string;
  /** The type the result must have; omit to accept any scalar. */
  expect?: FieldType;
}

/** The result of one evaluation: a JSON-safe scalar, or why there is none. */
export type Evaluation = { ok: true; value: FieldValue } | { ok: false; error: string };

/** A checked, precompiled expression. Evaluation never throws for data-dependent failures. */
export interface CompiledExpression {
  readonly path: string;
  readonly source: string;
  /** The CEL result type found by the type checker (`bool`, `double`, `string`, `dyn`, …). */
  readonly type: string;
  /** The value, or null when the expression read an absent value or failed. */
  evaluate(vars: object): FieldValue;
  /** True only when the expression yields `true` (conditions and filters). */
  test(vars: object): boolean;
  /** Like evaluate, with the reason when there is no value. */
  tryEvaluate(vars: object): Evaluation;
}

type Program = (vars: object) => unknown;

/**
 * Checks an expression against its environment and precompiles it.
 * Throws {@link ExpressionError} (message starts with the path) when it is too
 * large, does not parse, does not type-check or has the wrong result type.
 *
 * @example
 * const when = compileExpression('count.delivery >= 2', env, { path: 'conclusions[1].when', expect: 'boolean' });
 * when.test(vars); // boolean
 */
export function compileExpression(
  source: string,
  environment: ExpressionEnvironment,
  options: CompileOptions,
): CompiledExpression {
  const { path, expect } = options;
  if (source.length > EXPRESSION_LIMITS.maxLength) {
    throw new ExpressionError(
      path,
      `the expression is ${source.length} characters; the limit is ${EXPRESSION_LIMITS.maxLength}: split it into derived fields`,
    );
  }
  const checked = environment.cel.check(source);
  if (!checked.valid) {
    throw new ExpressionError(
      path,
      entityProblem(source, environment) ?? describeCelError(source, checked.error),
    );
  }
  const type = String(checked.type);
  if (expect !== undefined && !ACCEPTS[expect].includes(baseType(type))) {
    throw new ExpressionError(
      path,
      `the expression yields ${type} but ${expect} is required${expect === 'boolean' ? ' (a condition must be true or false, e.g. f.x == "y")' : ''}`,
    );
  }
  if (/^(list|map|bytes)\b/.test(type)) {
    throw new ExpressionError(
      path,
      `the expression yields ${type}; only strings, numbers and booleans can be used (try size(...), .exists(...) or .sum())`,
    );
  }
  const program = environment.runtime.parse(source) as unknown as Program & { ast: unknown };
  const unsafe = unsafeConstruct(program.ast);
  if (unsafe !== null) throw new ExpressionError(path, unsafe);
  const run = withFastPath(program);
  const tryEvaluate = (vars: object): Evaluation => {
    let raw: unknown;
    try {
      raw = run(vars);
    } catch (error) {
      return {
        ok: false,
        error: error instanceof Error ? firstLine(error.message) : String(error),
      };
    }
    return toFieldValue(raw, expect);
  };
  return {
    path,
    source,
    type,
    tryEvaluate,
    evaluate(vars) {
      const result = tryEvaluate(vars);
      return result.ok ? result.value : null;
    },
    test(vars) {
      try {
        return run(vars) === true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * The expression compiled to closures where it can be (see cel-closures.ts),
 * falling back to cel-js for whatever the fast path leaves undecided: the
 * same values and errors, several times faster on the common path.
 */
function withFastPath(program: Program & { ast: unknown }): Program {
  const slow = withoutStackTraces(program);
  const fast = compileClosure(program.ast);
  if (fast === null) return slow;
  return (vars) => {
    const value = fast(vars);
    return value === BAIL ? slow(vars) : value;
  };
}

/**
 * cel-js reports an absent field or node (\`time.pay_done\` of a session that
 * has no pay_done yet) by throwing; only the message is kept (an evaluation
 * error, see \`tryEvaluate\`), so the stack trace V8 captures for every such
 * throw is pure cost, and the most common one on a session's early versions.
 */
function withoutStackTraces(program: Program): Program {
  return (vars) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return program(vars);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
}

/** A clearer message than cel-js's for a misnamed `entity.<kind>.<feature>` (session scope only). */
function entityProblem(source: string, environment: ExpressionEnvironment): string | null {
  if (environment.scope !== 'session' || !source.includes('entity')) return null;
  let ast: unknown;
  try {
    ast = environment.cel.parse(source).ast;
  } catch {
    return null;
  }
  return entityReferenceProblem(ast, environment.entities ?? null);
}

function baseType(type: string): string {
  return type.startsWith('dyn') ? 'dyn' : type;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

interface CelErrorLike {
  summary?: string;
  message?: string;
  range?: { start: number; end: number } | null;
}

function describeCelError(source: string, error: unknown): string {
  const e = (error ?? {}) as CelErrorLike;
  const summary = e.summary ?? firstLine(e.message ?? 'invalid expression');
  const at = e.range ? ` at column ${e.range.start + 1}` : '';
  const hint = /Unknown variable/.test(summary)
    ? ' (record scope: raw, f; session scope: f, nodes, records, has_node, count, time, session, entity)'
    : /No such key/.test(summary)
      ? ' (not a declared field or node here)'
      : '';
  return `CEL ${summary}${at} in \`${source.length > 80 ? `${source.slice(0, 77)}...` : source}\`${hint}`;
}

/** Converts a CEL result into a JSON-safe scalar of the expected type. */
export function toFieldValue(value: unknown, expect?: FieldType): Evaluation {
  let scalar: FieldValue;
  if (value === null || value === undefined) return { ok: true, value: null };
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))
      return { ok: false, error: `integer result ${value} is beyond ±(2^53-1) and not JSON-safe` };
    scalar = Number(value);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value))
      return { ok: false, error: `result ${value} is not a finite number` };
    scalar = value;
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    scalar = value;
  } else if (value instanceof Date) {
    scalar = value.getTime();
  } else {
    const kind = Array.isArray(value) ? 'a list' : value instanceof Uint8Array ? 'bytes' : 'a map';
    return {
      ok: false,
      error: `result is ${kind}; only strings, numbers and booleans can be stored`,
    };
  }
  if (expect === undefined) return { ok: true, value: scalar };
  if (expect === 'boolean' && typeof scalar !== 'boolean')
    return { ok: false, error: `expected a boolean, got ${JSON.stringify(scalar)}` };
  const converted = convertValue(scalar, expect);
  return converted.ok ? converted : { ok: false, error: converted.reason };
}
