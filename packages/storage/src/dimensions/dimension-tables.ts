import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { statementChunks } from '../chunks.js';
import type { StoreDialect } from '../dialect/dialect.js';
import { DimensionTableMissingError, StorageValidationError } from '../errors.js';
import {
  readDimensionValue,
  writeDimensionKey,
  writeDimensionValue,
} from './dimension-converters.js';
import type { DimensionRow } from './dimension-converters.js';
import { parseDimensionReadLimit, parseDimensionSpec } from './dimension-spec.js';
import type {
  DimensionColumn,
  DimensionReadQuery,
  DimensionTableSpec,
  ParsedDimensionSpec,
} from './dimension-spec.js';

/** What `dimensions.load` did. */
export interface DimensionLoadResult {
  /** Rows written (inserted or replaced), after keeping the last row of a repeated key. */
  rows: number;
  /** The table did not exist and was created. */
  created: boolean;
}

/**
 * Every row of a dimension table: the key column and `columns`, values as
 * their declared types (a value that does not convert reads as null). The
 * whole table comes back at once: dimension tables are meant to fit in memory
 * (the correlator keeps them there). With `limit`, at most that many rows,
 * the first by key (`ORDER BY key LIMIT n` in SQL, so the same rows on every
 * read): a reader that holds only part of a table (the wizard's preview)
 * does not fetch the rest. Throws DimensionTableMissingError when the table
 * does not exist, StorageValidationError when a column is missing or `limit`
 * is not a positive integer.
 *
 * @example const rows = await store.dimensions.read({ source: 'item_catalog', table: 'item_catalog', key: { name: 'item_id', type: 'string' }, columns: [{ name: 'category', type: 'string' }], limit: 1000 });
 */
export async function readDimensionTable(
  dialect: StoreDialect,
  query: DimensionReadQuery,
): Promise<DimensionRow[]> {
  const { limit: requested, ...spec } = query;
  const parsed = parseDimensionSpec(spec);
  const limit = parseDimensionReadLimit(parsed.source, requested);
  const existing = await dialect.tableColumns(dialect.db, parsed.schema, parsed.name);
  if (existing.length === 0) throw new DimensionTableMissingError(parsed.source, parsed.table);
  const columns = [parsed.key, ...parsed.columns];
  requireColumns(parsed, existing, columns);
  const result = await sql<Record<string, unknown>>`SELECT ${sql.join(
    columns.map((c) => sql`${sql.id(c.name)} AS ${sql.id(c.name)}`),
  )} FROM ${tableRef(parsed)}${
    // Ordered only when cut: a whole read needs no order, and sorting an unindexed key costs.
    limit === null ? sql`` : sql` ORDER BY ${sql.id(parsed.key.name)} LIMIT ${limit}`
  }`.execute(dialect.db);
  return result.rows.map((row) =>
    Object.fromEntries(columns.map((c) => [c.name, readDimensionValue(row[c.name], c.type)])),
  );
}

/**
 * Upserts rows (objects by column name, e.g. the lines of the simulator's
 * `item_catalog.ndjson`) into a dimension table by its key: a row whose key
 * is stored replaces the stored columns, others are inserted; rows stored
 * but not given stay. A missing table is created with the key as primary
 * key and one column per declared type (MySQL family: `VARCHAR(255)` key,
 * `TEXT`, `DOUBLE`, `BOOLEAN`, `BIGINT`; SQLite: `TEXT`, `REAL`, `INTEGER`).
 * An existing table must have the columns and a primary or unique key on the
 * key column. Every row is checked before anything is written; the rows are
 * written in one transaction.
 *
 * @example await store.dimensions.load(spec, [{ item_id: 'I001', category: 'gems' }]);
 */
export async function loadDimensionTable(
  dialect: StoreDialect,
  spec: DimensionTableSpec,
  rows: readonly Readonly<Record<string, unknown>>[],
): Promise<DimensionLoadResult> {
  const parsed = parseDimensionSpec(spec);
  const columns = [parsed.key, ...parsed.columns];
  const byKey = new Map<string | number, Record<string, string | number | null>>();
  rows.forEach((row, i) => {
    const key = writeDimensionKey(row[parsed.key.name], parsed.key, i + 1);
    const written: Record<string, string | number | null> = { [parsed.key.name]: key };
    for (const column of parsed.columns)
      written[column.name] = writeDimensionValue(row[column.name], column, i + 1);
    byKey.set(key, written);
  });
  const existing = await dialect.tableColumns(dialect.db, parsed.schema, parsed.name);
  if (existing.length === 0) await createDimensionTable(dialect, parsed);
  else requireColumns(parsed, existing, columns);
  const names = columns.map((c) => c.name);
  const conflict = dialect.upsertClause([parsed.key.name], names.slice(1));
  const slices = statementChunks(
    [...byKey.values()],
    dialect.statementLimits,
    (row) => `dimension row "${String(row[parsed.key.name])}" of table ${parsed.table}`,
  );
  await dialect.writeTransaction(async (trx) => {
    for (const slice of slices) {
      await sql`INSERT INTO ${tableRef(parsed)} (${sql.join(names.map((n) => sql.id(n)))}) VALUES ${sql.join(
        slice.map((row) => sql`(${sql.join(names.map((n) => row[n]))})`),
      )} ${conflict}`.execute(trx);
    }
  });
  return { rows: byKey.size, created: existing.length === 0 };
}

async function createDimensionTable(
  dialect: StoreDialect,
  spec: ParsedDimensionSpec,
): Promise<void> {
  const definition = (column: DimensionColumn, key: boolean) =>
    sql`${sql.id(column.name)} ${sql.raw(dialect.dimensionColumnType(column.type, key))}${sql.raw(key ? ' NOT NULL' : '')}`;
  await sql`CREATE TABLE IF NOT EXISTS ${tableRef(spec)} (${sql.join([
    definition(spec.key, true),
    ...spec.columns.map((c) => definition(c, false)),
    sql`PRIMARY KEY (${sql.id(spec.key.name)})`,
  ])}) ${sql.raw(dialect.dimensionTableOptions)}`.execute(dialect.db);
}

/** `schema.name` or `name`, quoted by Kysely (the parts were validated as identifiers before). */
function tableRef(spec: ParsedDimensionSpec): RawBuilder<unknown> {
  return spec.schema === null ? sql.id(spec.name) : sql.id(spec.schema, spec.name);
}

/** Column names compare case-insensitively, as both backends resolve them. */
function requireColumns(
  spec: ParsedDimensionSpec,
  existing: readonly string[],
  wanted: readonly DimensionColumn[],
): void {
  const present = new Set(existing.map((name) => name.toLowerCase()));
  const missing = wanted.filter((c) => !present.has(c.name.toLowerCase())).map((c) => c.name);
  if (missing.length === 0) return;
  throw new StorageValidationError(
    `The dimension table "${spec.table}" of template source "${spec.source}" has no column ${missing
      .map((n) => `"${n}"`)
      .join(
        ', ',
      )}; its columns are ${existing.join(', ')}. Fix the source's fields[*].path in the template, or add the column to the table.`,
  );
}
