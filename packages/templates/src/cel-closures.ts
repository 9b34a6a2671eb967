/**
 * A fast path for CEL evaluation: the checked expression's AST (cel-js's
 * parse tree) compiled once into nested JavaScript closures, one per node, so
 * that an evaluation is a few direct calls instead of cel-js's generic
 * tree walk with run-time type checks and overload dispatch. No source text
 * is generated (`new Function`/eval are banned).
 *
 * The fast path covers what templates write in practice (field selection,
 * `has`, comparisons, arithmetic, `&&`/`||`/`!`/`?:`, `in`, `size`,
 * `startsWith`/`endsWith`/`contains`, `map`/`filter`/`exists`/`all` and the
 * list reducers) on the plain values Weft builds its variables from. It never
 * decides a doubtful case: whenever a value is absent, of an unexpected type,
 * or a result is not finite or out of range, it answers {@link BAIL} and the
 * caller evaluates the expression with cel-js, which gives the canonical value
 * or error. So an answer other than BAIL is always the value cel-js returns
 * (proven against cel-js by `cel-closures.test.ts` over generated expressions
 * and variables). An expression with any construct outside this set is not
 * compiled at all ({@link compileClosure} returns null).
 */

import { LIST_REDUCERS } from './cel-environment.js';

/** "Not decided here: evaluate with cel-js." */
export const BAIL: unique symbol = Symbol('cel-bail');

/** A compiled expression: the value, or BAIL. */
export type ClosureProgram = (vars: object) => unknown;

type Locals = unknown[];
type Node = (vars: Readonly<Record<string, unknown>>, locals: Locals) => unknown;

interface AstNode {
  readonly op: string;
  readonly args: unknown;
}

class Unsupported extends Error {}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NO_LOCALS: Locals = [];

/**
 * Compiles a cel-js AST into closures, or returns null when it uses a
 * construct the fast path does not cover (the caller keeps cel-js for it).
 *
 * @example
 * const fast = compileClosure(env.runtime.parse('count.delivery >= 2').ast);
 * fast?.({ count: { delivery: 2 } }); // true (or BAIL when undecided)
 */
export function compileClosure(ast: unknown): ClosureProgram | null {
  const scope: Compiler = { names: [], slots: 0 };
  let root: Node;
  try {
    root = compileNode(ast as AstNode, scope);
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
  const slots = scope.slots;
  return (vars) =>
    root(vars as Readonly<Record<string, unknown>>, slots === 0 ? NO_LOCALS : new Array(slots));
}

/** Macro variables in scope (innermost last) and the number of local slots used. */
interface Compiler {
  names: { name: string; slot: number }[];
  slots: number;
}

function compileNode(node: AstNode, scope: Compiler): Node {
  const args = node.args as AstNode[];
  switch (node.op) {
    case 'value':
      return literal(node.args);
    case 'id':
      return identifier(node.args as string, scope);
    case '.':
      return select(compileNode(args[0]!, scope), args[1] as unknown as string);
    case '[]':
      return index(compileNode(args[0]!, scope), compileNode(args[1]!, scope));
    case '&&':
    case '||':
      return logical(node.op, compileNode(args[0]!, scope), compileNode(args[1]!, scope));
    case '!_':
      return not(compileNode(node.args as AstNode, scope));
    case '-_':
      return negate(compileNode(node.args as AstNode, scope));
    case '?:':
      return conditional(
        compileNode(args[0]!, scope),
        compileNode(args[1]!, scope),
        compileNode(args[2]!, scope),
      );
    case '==':
    case '!=':
      return equality(node.op, compileNode(args[0]!, scope), compileNode(args[1]!, scope));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordering(node.op, compileNode(args[0]!, scope), compileNode(args[1]!, scope));
    case '+':
    case '-':
    case '*':
    case '/':
      return arithmetic(node.op, compileNode(args[0]!, scope), compileNode(args[1]!, scope));
    case 'in':
      return membership(compileNode(args[0]!, scope), compileNode(args[1]!, scope));
    case 'list':
      return listLiteral(args.map((a) => compileNode(a, scope)));
    case 'call':
      return globalCall(node.args as [string, AstNode[]], scope);
    case 'rcall':
      return receiverCall(node.args as [string, AstNode, AstNode[]], scope);
    default:
      throw new Unsupported(node.op);
  }
}

function literal(value: unknown): Node {
  const type = typeof value;
  if (
    value !== null &&
    type !== 'string' &&
    type !== 'number' &&
    type !== 'bigint' &&
    type !== 'boolean'
  )
    throw new Unsupported('literal'); // uint, bytes
  return () => value;
}

function identifier(name: string, scope: Compiler): Node {
  for (let i = scope.names.length - 1; i >= 0; i--) {
    const local = scope.names[i]!;
    if (local.name === name) {
      const slot = local.slot;
      return (_vars, locals) => locals[slot];
    }
  }
  return (vars) => {
    const value = vars[name];
    return value === undefined ? BAIL : value;
  };
}

/** JSON objects and the maps Weft builds: what cel-js reads as a `map` through own keys. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function field(object: unknown, key: string): unknown {
  if (!isPlainObject(object) || !Object.hasOwn(object, key)) return BAIL;
  const value = object[key];
  return value === undefined ? BAIL : value;
}

function select(object: Node, key: string): Node {
  return (vars, locals) => field(object(vars, locals), key);
}

function index(object: Node, key: Node): Node {
  return (vars, locals) => {
    const o = object(vars, locals);
    const k = key(vars, locals);
    if (typeof k === 'string') return field(o, k);
    if (typeof k === 'bigint' && Array.isArray(o) && k >= 0n && k < BigInt(o.length)) {
      const value: unknown = o[Number(k)];
      return value === undefined ? BAIL : value;
    }
    return BAIL;
  };
}

function logical(op: '&&' | '||', left: Node, right: Node): Node {
  // CEL's commutative error rules are left to cel-js: anything but a boolean bails.
  const decisive = op === '||';
  return (vars, locals) => {
    const l = left(vars, locals);
    if (l === decisive) return decisive;
    if (typeof l !== 'boolean') return BAIL;
    const r = right(vars, locals);
    return typeof r === 'boolean' ? r : BAIL;
  };
}

function not(operand: Node): Node {
  return (vars, locals) => {
    const v = operand(vars, locals);
    return typeof v === 'boolean' ? !v : BAIL;
  };
}

function negate(operand: Node): Node {
  return (vars, locals) => {
    const v = operand(vars, locals);
    return typeof v === 'number' ? -v : BAIL;
  };
}

function conditional(condition: Node, then: Node, otherwise: Node): Node {
  return (vars, locals) => {
    const c = condition(vars, locals);
    if (c === true) return then(vars, locals);
    if (c === false) return otherwise(vars, locals);
    return BAIL;
  };
}

/** Equal scalars of one type, or a double and an int (Weft registers `double == int` as `a === Number(b)`). */
function equals(a: unknown, b: unknown): boolean | typeof BAIL {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === tb) {
    return ta === 'string' || ta === 'number' || ta === 'bigint' || ta === 'boolean'
      ? a === b
      : BAIL;
  }
  if (ta === 'number' && tb === 'bigint') return a === Number(b);
  if (ta === 'bigint' && tb === 'number') return Number(a) === b;
  return BAIL;
}

function equality(op: '==' | '!=', left: Node, right: Node): Node {
  const negated = op === '!=';
  return (vars, locals) => {
    const result = equals(left(vars, locals), right(vars, locals));
    return result === BAIL ? BAIL : result !== negated;
  };
}

/** Numbers (double, or int within ±2^53) in a form JavaScript compares exactly as CEL does. */
function comparable(value: unknown): number | bigint | typeof BAIL {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint')
    return value >= -9007199254740991n && value <= 9007199254740991n ? value : BAIL;
  return BAIL;
}

function ordering(op: '<' | '<=' | '>' | '>=', left: Node, right: Node): Node {
  const compare =
    op === '<'
      ? (a: number | bigint, b: number | bigint) => a < b
      : op === '<='
        ? (a: number | bigint, b: number | bigint) => a <= b
        : op === '>'
          ? (a: number | bigint, b: number | bigint) => a > b
          : (a: number | bigint, b: number | bigint) => a >= b;
  return (vars, locals) => {
    const a = comparable(left(vars, locals));
    if (a === BAIL) return BAIL;
    const b = comparable(right(vars, locals));
    return b === BAIL ? BAIL : compare(a, b);
  };
}

type Op = '+' | '-' | '*' | '/';
const DOUBLE: Readonly<Record<Op, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};
const INT: Readonly<Record<Op, ((a: bigint, b: bigint) => bigint) | null>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': null, // truncation and division by zero: cel-js decides
};

function arithmetic(op: Op, left: Node, right: Node): Node {
  const double = DOUBLE[op];
  const int = INT[op];
  return (vars, locals) => {
    const a = left(vars, locals);
    const b = right(vars, locals);
    let result: number;
    if (typeof a === 'number') {
      if (typeof b === 'number') result = double(a, b);
      else if (typeof b === 'bigint') result = double(a, Number(b));
      else return BAIL;
    } else if (typeof a === 'bigint') {
      if (typeof b === 'number') result = double(Number(a), b);
      else if (typeof b === 'bigint' && int !== null) {
        const r = int(a, b);
        return r >= INT64_MIN && r <= INT64_MAX ? r : BAIL;
      } else return BAIL;
    } else if (op === '+' && typeof a === 'string' && typeof b === 'string') {
      return a + b;
    } else return BAIL;
    return Number.isFinite(result) ? result : BAIL;
  };
}

function membership(element: Node, list: Node): Node {
  return (vars, locals) => {
    const e = element(vars, locals);
    const l = list(vars, locals);
    if (!Array.isArray(l) || (typeof e !== 'string' && typeof e !== 'number')) return BAIL;
    let found = false;
    for (const item of l) {
      if (typeof item !== typeof e) return BAIL;
      if (item === e) found = true;
    }
    return found;
  };
}

/** A list of same-typed scalars (cel-js rejects mixed literal lists itself). */
function sameTypedScalars(values: unknown[]): boolean {
  if (values.length === 0) return false;
  const type = typeof values[0];
  if (type !== 'string' && type !== 'number' && type !== 'bigint' && type !== 'boolean')
    return false;
  for (let i = 1; i < values.length; i++) if (typeof values[i] !== type) return false;
  return true;
}

function listLiteral(elements: Node[]): Node {
  return (vars, locals) => {
    const values = elements.map((e) => e(vars, locals));
    return sameTypedScalars(values) ? values : BAIL;
  };
}

function globalCall([name, args]: [string, AstNode[]], scope: Compiler): Node {
  if (name === 'has' && args.length === 1 && args[0]!.op === '.') {
    const [objectAst, key] = args[0]!.args as [AstNode, string];
    const object = compileNode(objectAst, scope);
    return (vars, locals) => {
      const o = object(vars, locals);
      if (!isPlainObject(o)) return BAIL;
      if (!Object.hasOwn(o, key)) return false;
      const value = o[key];
      return value === null ? BAIL : value !== undefined;
    };
  }
  if (name === 'size' && args.length === 1) return size(compileNode(args[0]!, scope));
  throw new Unsupported(name);
}

function size(operand: Node): Node {
  return (vars, locals) => {
    const v = operand(vars, locals);
    return Array.isArray(v) ? BigInt(v.length) : BAIL; // strings count code points: cel-js
  };
}

const STRING_TESTS: Readonly<Record<string, (s: string, arg: string) => boolean>> = {
  startsWith: (s, arg) => s.startsWith(arg),
  endsWith: (s, arg) => s.endsWith(arg),
  contains: (s, arg) => s.includes(arg),
};

function receiverCall(
  [name, receiverAst, args]: [string, AstNode, AstNode[]],
  scope: Compiler,
): Node {
  const receiver = compileNode(receiverAst, scope);
  const reduce = Object.hasOwn(LIST_REDUCERS, name) ? LIST_REDUCERS[name] : undefined;
  if (reduce !== undefined && args.length === 0) {
    return (vars, locals) => {
      const list = receiver(vars, locals);
      if (!Array.isArray(list)) return BAIL;
      const numbers: number[] = [];
      const type = list.length > 0 ? typeof list[0] : 'number';
      for (const item of list) {
        if (typeof item !== type || (type !== 'number' && type !== 'bigint')) return BAIL;
        numbers.push(Number(item));
      }
      const result = reduce(numbers);
      return Number.isFinite(result) ? result : BAIL;
    };
  }
  if (name === 'size' && args.length === 0) return size(receiver);
  const test = Object.hasOwn(STRING_TESTS, name) ? STRING_TESTS[name] : undefined;
  if (test !== undefined && args.length === 1) {
    const argument = compileNode(args[0]!, scope);
    return (vars, locals) => {
      const s = receiver(vars, locals);
      const a = argument(vars, locals);
      return typeof s === 'string' && typeof a === 'string' ? test(s, a) : BAIL;
    };
  }
  if (
    (name === 'map' || name === 'filter' || name === 'exists' || name === 'all') &&
    args.length === 2
  ) {
    const variable = args[0]!;
    if (variable.op !== 'id') throw new Unsupported(name);
    const slot = scope.slots++;
    scope.names.push({ name: variable.args as string, slot });
    const body = compileNode(args[1]!, scope);
    scope.names.pop();
    return macro(name, receiver, slot, body);
  }
  throw new Unsupported(name);
}

function macro(
  name: 'map' | 'filter' | 'exists' | 'all',
  receiver: Node,
  slot: number,
  body: Node,
): Node {
  return (vars, locals) => {
    const list = receiver(vars, locals);
    if (!Array.isArray(list)) return BAIL; // maps iterate keys: cel-js
    if (name === 'map') {
      const out: unknown[] = [];
      for (const item of list) {
        locals[slot] = item;
        const v = body(vars, locals);
        if (v === BAIL || (out.length > 0 && typeof v !== typeof out[0])) return BAIL;
        out.push(v);
      }
      return out.length === 0 || sameTypedScalars(out) ? out : BAIL;
    }
    const out: unknown[] | null = name === 'filter' ? [] : null;
    for (const item of list) {
      locals[slot] = item;
      const v = body(vars, locals);
      if (typeof v !== 'boolean') return BAIL;
      if (out !== null) {
        if (v) out.push(item);
      } else if (name === 'exists' && v) return true;
      else if (name === 'all' && !v) return false;
    }
    return out ?? name === 'all';
  };
}
