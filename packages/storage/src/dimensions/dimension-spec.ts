import { z } from 'zod';
import { StorageValidationError } from '../errors.js';

/** How a dimension column's values are typed (the template's field types). */
export type DimensionColumnType = 'string' | 'number' | 'boolean' | 'timestamp';

/** One column of a dimension table and the type its values are read and written as. */
export interface DimensionColumn {
  name: string;
  type: DimensionColumnType;
}

/**
 * A SQL dimension table as a template's `kind: "sql"` source names it:
 * `table` is `name` or `schema.name`; `key` is the column lookups match on;
 * `columns` the other columns to read or write. `source` (the template source
 * id) only names the table in error messages.
 *
 * @example { source: 'item_catalog', table: 'item_catalog', key: { name: 'item_id', type: 'string' }, columns: [{ name: 'price_cents', type: 'number' }] }
 */
export interface DimensionTableSpec {
  source: string;
  table: string;
  key: DimensionColumn;
  columns: readonly DimensionColumn[];
}

/**
 * What `dimensions.read` reads: a table spec and, optionally, `limit` — at
 * most that many rows, the first by the key column (so a cut is the same on
 * every read). Without `limit` the whole table is read.
 *
 * @example { ...itemCatalogSpec, limit: 50_001 }
 */
export interface DimensionReadQuery extends DimensionTableSpec {
  limit?: number;
}

/** A spec after validation: the table split into its schema (null: the store's own) and name. */
export interface ParsedDimensionSpec {
  source: string;
  table: string;
  schema: string | null;
  name: string;
  key: DimensionColumn;
  columns: readonly DimensionColumn[];
}

/**
 * Identifiers are checked before any SQL is built (and then quoted by Kysely
 * as well): letters, digits and `_`, not starting with a digit, at most 64
 * characters (MySQL's limit), as the template schema's `table` pattern.
 */
const IdentifierSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/u, {
    error: 'letters, digits and _, not starting with a digit',
  });

const ColumnSchema = z.strictObject({
  name: IdentifierSchema,
  type: z.enum(['string', 'number', 'boolean', 'timestamp']),
});

const SpecSchema = z.strictObject({
  source: z.string().min(1).max(128),
  table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63})?$/u, {
    error: 'use a table name such as "item_catalog" or "dim.item_catalog"',
  }),
  key: ColumnSchema,
  columns: z.array(ColumnSchema),
});

/** Validates a spec (throws StorageValidationError naming every problem) and splits `schema.name`. */
export function parseDimensionSpec(spec: DimensionTableSpec): ParsedDimensionSpec {
  const parsed = SpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new StorageValidationError(
      `Invalid dimension table of source "${String(spec.source)}": ${parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ')}.`,
    );
  }
  const { source, table, key, columns } = parsed.data;
  const names = [key.name, ...columns.map((c) => c.name)];
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0) {
    throw new StorageValidationError(
      `Invalid dimension table of source "${source}": column ${repeated.map((n) => `"${n}"`).join(', ')} is listed twice (the key is read anyway).`,
    );
  }
  const [first = '', second] = table.split('.');
  return {
    source,
    table,
    schema: second === undefined ? null : first,
    name: second ?? first,
    key,
    columns: columns.filter((c) => c.name !== key.name),
  };
}

/** `limit` of a read: undefined (every row) or a positive integer; throws StorageValidationError naming it. */
export function parseDimensionReadLimit(source: string, limit: number | undefined): number | null {
  if (limit === undefined) return null;
  if (Number.isSafeInteger(limit) && limit > 0) return limit;
  throw new StorageValidationError(
    `Invalid read of dimension table of source "${source}": limit must be a positive integer (the most rows to read, e.g. 50000) or left out to read every row; got ${String(limit)}.`,
  );
}
