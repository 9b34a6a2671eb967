import { regexSyntaxError } from './regex.js';

/**
 * Static checks that bound what one expression can cost per evaluation,
 * beyond cel-js's size limits (see limits.ts): regular expressions run in
 * RE2 (linear time) and comprehension macros do not nest (a nested macro is
 * quadratic in the record's list sizes).
 */

interface AstNode {
  op: string;
  args: unknown;
}

const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function isAst(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

/** Returns why the expression is unsafe to run on every record, or null. */
export function unsafeConstruct(ast: unknown): string | null {
  return visit(ast, 0);
}

function visit(value: unknown, macroDepth: number): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = visit(item, macroDepth);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (!isAst(value)) return null;
  const call = callOf(value);
  if (call !== null) {
    const problem = checkCall(call, macroDepth);
    if (problem !== null) return problem;
    if (call.receiver !== null && MACROS.has(call.name)) {
      return visit(call.receiver, macroDepth) ?? visit(call.args, macroDepth + 1);
    }
  }
  return visit(value.args, macroDepth);
}

interface Call {
  name: string;
  receiver: unknown;
  args: unknown[];
}

function callOf(node: AstNode): Call | null {
  if (!Array.isArray(node.args)) return null;
  if (node.op === 'rcall') {
    const [name, receiver, args] = node.args as [unknown, unknown, unknown];
    if (typeof name === 'string' && Array.isArray(args)) return { name, receiver, args };
  }
  if (node.op === 'call') {
    const [name, args] = node.args as [unknown, unknown];
    if (typeof name === 'string' && Array.isArray(args)) return { name, receiver: null, args };
  }
  return null;
}

function checkCall(call: Call, macroDepth: number): string | null {
  if (call.name === 'matches') {
    if (call.receiver !== null) {
      return 'write matches(text, pattern) instead of text.matches(pattern): Weft evaluates regular expressions with RE2 in linear time, the method form would use a backtracking engine';
    }
    const pattern = call.args[1];
    if (isAst(pattern) && pattern.op === 'value' && typeof pattern.args === 'string') {
      const error = regexSyntaxError(pattern.args);
      if (error !== null)
        return `invalid regular expression "${pattern.args}" (RE2 syntax): ${error}`;
    }
  }
  if (call.receiver !== null && MACROS.has(call.name) && macroDepth > 0) {
    return `${call.name}(...) inside another list macro is not allowed (its cost grows with the square of the list sizes): compute the inner part as a derived field`;
  }
  return null;
}
