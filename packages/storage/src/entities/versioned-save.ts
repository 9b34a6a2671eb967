import type { Transaction } from 'kysely';
import { chunkBySize } from '../chunks.js';
import type { StoreDialect } from '../dialect/dialect.js';
import type { Database } from '../schema.js';
import type { VersionedSaveResult } from './entity-converters.js';

/**
 * Per transaction: rows, and UTF-8 bytes of their payload. One statement
 * carries a chunk, and mysql2 escapes values client-side (every `"` of a
 * JSON state doubles): 4 MB stays under MariaDB's default 16 MB
 * max_allowed_packet, and far under TiDB's 100 MB transaction limit.
 */
export const SAVE_CHUNK = { rows: 500, bytes: 4 * 1024 * 1024 };

/** How one table's rows are identified, locked and written by saveVersioned. */
export interface VersionedTable<T, Stored extends { version: number }> {
  /** A string unique per row key (e.g. JSON of the primary key). */
  identity(item: T): string;
  version(item: T): number;
  /** Approximate bytes the item writes. */
  bytes(item: T): number;
  /** Reads the stored rows of `items` with a row lock, by identity. */
  lock(trx: Transaction<Database>, items: readonly T[]): Promise<Map<string, Stored>>;
  /** Writes the items that won over their stored rows (absent from `stored` when new). */
  write(
    trx: Transaction<Database>,
    winners: readonly T[],
    stored: ReadonlyMap<string, Stored>,
  ): Promise<void>;
}

/**
 * Saves items whose rows carry a writer's version: an item replaces its row
 * only when its version is higher than the stored one, so a replay or a
 * stale writer changes nothing. Within the batch the highest version of a
 * row wins (the first one on a tie). Items are written in chunks of
 * SAVE_CHUNK, one transaction each, in identity order (so two writers lock
 * rows in the same order); if a chunk fails, the chunks before it stay
 * written and saving the whole batch again is safe: they come back stale.
 */
export async function saveVersioned<T, Stored extends { version: number }>(
  dialect: StoreDialect,
  items: readonly T[],
  table: VersionedTable<T, Stored>,
): Promise<VersionedSaveResult> {
  const newest = new Map<string, T>();
  for (const item of items) {
    const id = table.identity(item);
    const seen = newest.get(id);
    if (seen === undefined || table.version(seen) < table.version(item)) newest.set(id, item);
  }
  const ordered = [...newest.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([, item]) => item);
  let written = 0;
  for (const slice of chunkBySize(ordered, SAVE_CHUNK, table.bytes)) {
    written += await dialect.writeTransaction(async (trx) => {
      const stored = await table.lock(trx, slice);
      const winners = slice.filter(
        (item) => (stored.get(table.identity(item))?.version ?? 0) < table.version(item),
      );
      if (winners.length > 0) await table.write(trx, winners, stored);
      return winners.length;
    });
  }
  return { written, stale: items.length - written };
}

/** Groups items by a string key, keeping their order within each group. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return [...groups.values()];
}

/**
 * Every item of a keyset-paged listing, page by page: `fetch` returns one
 * page's items and the cursor of the next (undefined after the last).
 */
export async function* allPages<T>(
  fetch: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
