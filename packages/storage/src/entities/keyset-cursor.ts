import { sql } from 'kysely';
import type { RawBuilder, SqlBool } from 'kysely';
import { z } from 'zod';
import { StorageValidationError } from '../errors.js';

const KeysetSchema = z.array(z.string().max(2000)).min(1).max(4);

/** An opaque cursor holding the key columns of the last row of a page. */
export function encodeKeyset(keys: readonly string[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

/** The key columns of a cursor made by encodeKeyset, `length` of them. */
export function decodeKeyset(cursor: string, length: number): string[] {
  try {
    const keys = KeysetSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (keys.length === length) return keys;
  } catch {
    // Reported below, with what to do.
  }
  throw new StorageValidationError(
    `Invalid cursor "${cursor.slice(0, 40)}": pass back the nextCursor of the previous page unchanged.`,
  );
}

/**
 * Rows after the cursor in (kind, entity_key) order, the primary key's
 * order after template_id: an OR that both planners keep a key range.
 */
export function afterEntityKey(cursor: string): RawBuilder<SqlBool> {
  const [kind, key] = decodeKeyset(cursor, 2) as [string, string];
  return sql<SqlBool>`(kind > ${kind} OR (kind = ${kind} AND entity_key > ${key}))`;
}

/**
 * One page of `limit` items from `rows` read with `limit + 1`, and the
 * cursor of its last item when there are more.
 */
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keysOf: (item: Item) => string[],
): { items: Item[]; nextCursor?: string } {
  const items = rows.slice(0, limit).map(toItem);
  const last = items.at(-1);
  return rows.length > limit && last !== undefined
    ? { items, nextCursor: encodeKeyset(keysOf(last)) }
    : { items };
}
