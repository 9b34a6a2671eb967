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
 * What a stored session's keys may hold (the store's key columns, counted in
 * code points): its id `<template id>/<business key>/<start>` at most
 * `sessionIdChars`, its business key at most `businessKeyChars`. The engine
 * dead-letters a baseline record whose key cannot fit (`businessKeyLimit`),
 * so that no session is built that a store would refuse.
 */
export const SESSION_KEY_LIMITS = { sessionIdChars: 191, businessKeyChars: 255 } as const;

/** The longest `start` of a session id: an event time as text (`-9007199254740991`). */
const START_CHARS = String(Number.MIN_SAFE_INTEGER).length;

/**
 * The most code points a business key of template `templateId` may have:
 * room in the session id for the template id, two `/` and any start time,
 * capped at `SESSION_KEY_LIMITS.businessKeyChars`. 157 for `in-app-purchase`.
 */
export function businessKeyLimit(templateId: string): number {
  return Math.min(
    SESSION_KEY_LIMITS.businessKeyChars,
    SESSION_KEY_LIMITS.sessionIdChars - [...templateId].length - 2 - START_CHARS,
  );
}

/**
 * The code points of `text` when there are more than `max`, else null.
 * UTF-16 units bound code points from above, so a text no longer than `max`
 * units is not counted (this runs for every key and field name written).
 *
 * @example codePointsOver('🚀🚀', 2) // null (4 UTF-16 units, 2 code points)
 */
export function codePointsOver(text: string, max: number): number | null {
  if (text.length <= max) return null;
  const count = Array.from(text).length;
  return count > max ? count : null;
}

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
