/**
 * Static references of a session-scope expression (`f.paid`,
 * `nodes.pay_done.pay_status`, `count.delivery`, `entity.account.payments_1h`, …), read from the cel-js AST:
 * a verdict records the values its condition read, so it explains itself.
 */

/** A cel-js AST node (the shape these walkers rely on). */
export interface AstNode {
  op: string;
  args: unknown;
}

const ROOTS = new Set(['f', 'count', 'has_node', 'time', 'session', 'records']);

export function isAst(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

/** Returns `root.name`, `nodes.id.field` or `entity.kind.feature` for a member access, else null. */
function referenceOf(node: AstNode): string | null {
  if (node.op !== '.' || !Array.isArray(node.args)) return null;
  const [target, name] = node.args as [unknown, unknown];
  if (!isAst(target) || typeof name !== 'string') return null;
  if (target.op === 'id' && typeof target.args === 'string' && ROOTS.has(target.args))
    return `${target.args}.${name}`;
  if (target.op === '.' && Array.isArray(target.args)) {
    const [inner, id] = target.args as [unknown, unknown];
    if (
      isAst(inner) &&
      inner.op === 'id' &&
      (inner.args === 'nodes' || inner.args === 'entity') &&
      typeof id === 'string'
    )
      return `${inner.args}.${id}.${name}`;
  }
  return null;
}

/** Every distinct variable reference in the AST, in first-seen order. */
export function collectReferences(ast: unknown): string[] {
  return [...new Set(collectMatches(ast, referenceOf))];
}

/** What `match` returns for each outermost AST node it accepts (non-null), in first-seen order. */
export function collectMatches<T>(ast: unknown, match: (node: AstNode) => T | null): T[] {
  const found: T[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isAst(value)) return;
    const matched = match(value);
    if (matched !== null) {
      found.push(matched);
      return;
    }
    visit(value.args);
  };
  visit(ast);
  return found;
}

/** Reads a reference (a {@link collectReferences} result split at dots) from evaluation variables. */
export function readReference(vars: object, path: readonly string[]): unknown {
  let current: unknown = vars;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
