import type { Transaction } from 'kysely';
import { statementChunks } from '../chunks.js';
import type { StoreDialect } from '../dialect/dialect.js';
import type { Database, TableName } from '../schema.js';
import type { VersionedSaveResult } from './entity-converters.js';

/** How one table's rows are identified, locked and written by saveVersioned. */
export interface VersionedTable<T, Stored extends { version: number }, Row extends object> {
  /** The table, its primary key, and the columns a winning item overwrites. */
  name: TableName;
  keys: readonly string[];
  updated: readonly string[];
  /** A string unique per row key (e.g. JSON of the primary key). */
  identity(item: T): string;
  version(item: T): number;
  /**
   * The row an item writes over its stored row (undefined when new).
   * Statements are sized on the rows of new items, so the stored row may
   * change values but not their size (every number is sized alike).
   */
  row(item: T, stored: Stored | undefined): Row;
  /** Names a row in a StatementTooLargeError: `entity state (template "pay", …)`. */
  describe(row: Row): string;
  /** Reads the stored rows of `items` with a row lock, by identity. */
  lock(trx: Transaction<Database>, items: readonly T[]): Promise<Map<string, Stored>>;
}

/**
 * Saves items whose rows carry a writer's version: an item replaces its row
 * only when its version is higher than the stored one, so a replay or a
 * stale writer changes nothing. Within the batch the highest version of a
 * row wins (the first one on a tie). The items are split like every
 * multi-row write (`statementChunks`: the dialect's bind-parameter and byte
 * budget), one transaction and one upsert per chunk, in identity order (so
 * two writers lock rows in the same order). A row the server would refuse
 * even alone throws StatementTooLargeError before the first transaction,
 * so nothing of the batch is written; if a later chunk fails, the chunks
 * before it stay written and saving the whole batch again is safe: they
 * come back stale.
 *
 * @example await saveVersioned(dialect, states, entityStatesTable)
 */
export async function saveVersioned<T, Stored extends { version: number }, Row extends object>(
  dialect: StoreDialect,
  items: readonly T[],
  table: VersionedTable<T, Stored, Row>,
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
  const chunks = statementChunks(
    ordered.map((item) => table.row(item, undefined)),
    dialect.statementLimits,
    table.describe,
  );
  let written = 0;
  let start = 0;
  for (const { length } of chunks) {
    const slice = ordered.slice(start, (start += length));
    written += await dialect.writeTransaction(async (trx) => {
      const stored = await table.lock(trx, slice);
      const rows = slice.flatMap((item) => {
        const old = stored.get(table.identity(item));
        return (old?.version ?? 0) < table.version(item) ? [table.row(item, old)] : [];
      });
      // The winners are part of the chunk, sized alike: they fit one statement.
      if (rows.length > 0) await dialect.upsert(trx, table.name, rows, table.keys, table.updated);
      return rows.length;
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
