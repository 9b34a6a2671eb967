import { StatementTooLargeError } from './errors.js';

/** Splits `items` into consecutive slices of at most `size` (size ≥ 1). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    slices.push(items.slice(start, start + size));
  return slices;
}

/**
 * Splits `items` into consecutive batches of at most `limits.rows` items and
 * `limits.bytes` of `sizeOf` (an item larger than that is a batch alone).
 */
export function chunkBySize<T>(
  items: readonly T[],
  limits: { rows: number; bytes: number },
  sizeOf: (item: T) => number,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.rows || bytes + size > limits.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** How big one multi-row write statement may be; the dialect derives it from the server. */
export interface StatementLimits {
  /** Most bind parameters in one statement. */
  maxParameters: number;
  /** Most estimated bytes (`rowBytes`) of the rows of one statement; a row over it is a statement alone. */
  maxBytes: number;
  /**
   * The server's limit on one statement (MySQL's `max_allowed_packet`):
   * a row that cannot fit it even alone is refused before anything is sent.
   * Infinity where the server has none (SQLite).
   */
  maxPacketBytes: number;
}

/** Room for the statement text around one row (the sessions upsert's column list and update clause take under 1 KB). */
export const STATEMENT_TEXT_BYTES = 4096;
/** Separators around a value in the statement text (`'…', `). */
const VALUE_OVERHEAD = 4;
/** Parentheses and separator around a row (`(…), `). */
const ROW_OVERHEAD = 4;
/** The longest text of a double (`-1.7976931348623157e+308`). */
const NUMBER_BYTES = 24;

/**
 * Estimated bytes of a row in a multi-row statement: strings as UTF-8 bytes,
 * numbers as their longest text, plus separators. Cheap (no escaping): the
 * MySQL family halves its packet limit to leave room for escaping, which at
 * most doubles a string.
 */
export function rowBytes(row: object): number {
  let bytes = ROW_OVERHEAD;
  for (const value of Object.values(row)) bytes += valueBytes(value, false);
  return bytes;
}

/**
 * Bytes of a row as the MySQL client sends it: like `rowBytes`, but a `'`,
 * `"`, `\` or control character counts twice (it is escaped). Exact enough to
 * tell whether a row alone fits the server's packet; only measured for rows
 * over the statement budget.
 */
export function sentRowBytes(row: object): number {
  let bytes = ROW_OVERHEAD;
  for (const value of Object.values(row)) bytes += valueBytes(value, true);
  return bytes;
}

function valueBytes(value: unknown, escaped: boolean): number {
  if (typeof value === 'string')
    return VALUE_OVERHEAD + Buffer.byteLength(value, 'utf8') + (escaped ? escapes(value) : 0);
  if (value === null || value === undefined || typeof value === 'boolean')
    return VALUE_OVERHEAD + 5;
  // Binary values are sent as hex (X'…').
  if (ArrayBuffer.isView(value)) return VALUE_OVERHEAD + 2 * value.byteLength;
  if (typeof value === 'number' || typeof value === 'bigint') return VALUE_OVERHEAD + NUMBER_BYTES;
  return VALUE_OVERHEAD + Buffer.byteLength(String(value), 'utf8');
}

/** The characters the MySQL client escapes with a backslash: \0 \b \t \n \r \x1a " ' \. */
const ESCAPED = new Uint8Array(128);
for (const code of [0, 8, 9, 10, 13, 0x1a, 0x22, 0x27, 0x5c]) ESCAPED[code] = 1;

function escapes(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) count += ESCAPED[code] ?? 0;
  }
  return count;
}

/**
 * Splits rows (objects with the same keys, as the converters build them)
 * into consecutive statements within `limits`: at most
 * `maxParameters / columns` rows and `maxBytes` of `rowBytes` each, except
 * that a row over `maxBytes` is a statement alone. Throws
 * StatementTooLargeError, before anything is sent, for a row the server
 * would refuse even alone; `describe` names it for the message.
 *
 * @example for (const slice of statementChunks(rows, dialect.statementLimits, (r) => `session "${r.session_id}"`))
 *   await dialect.insert(trx, 'sessions', slice);
 */
export function statementChunks<T extends object>(
  rows: readonly T[],
  limits: StatementLimits,
  describe: (row: T) => string,
): T[][] {
  const first = rows[0];
  if (first === undefined) return [];
  const perStatement = Math.max(
    1,
    Math.floor(limits.maxParameters / Math.max(1, Object.keys(first).length)),
  );
  return chunkBySize(rows, { rows: perStatement, bytes: limits.maxBytes }, (row) => {
    const bytes = rowBytes(row);
    if (bytes > limits.maxBytes && limits.maxPacketBytes !== Infinity) {
      const sent = sentRowBytes(row);
      if (sent + STATEMENT_TEXT_BYTES > limits.maxPacketBytes)
        throw new StatementTooLargeError(describe(row), sent, limits.maxPacketBytes);
    }
    return bytes;
  });
}
