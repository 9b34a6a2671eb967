/** Size caps on user expressions: a template is user input and runs in the hot path. */
export const EXPRESSION_LIMITS = {
  /** Longest accepted CEL expression, in characters. */
  maxLength: 2_000,
  /** Deepest accepted AST nesting. */
  maxDepth: 32,
  /** Most AST nodes in one expression. */
  maxAstNodes: 500,
  /** Longest list or map literal. */
  maxListElements: 100,
} as const;

/**
 * Words a source, node, field or conclusion id may not be: CEL reserved words
 * (ids are used as CEL map keys, e.g. `nodes.pay_done`) and the names of the
 * CEL context variables.
 */
export const RESERVED_IDS: ReadonlySet<string> = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);
