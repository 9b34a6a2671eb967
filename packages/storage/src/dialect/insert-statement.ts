import { CompiledQuery } from 'kysely';

/** How one backend spells a multi-row insert; identifiers are code constants, never input. */
export interface InsertSyntax {
  quote(identifier: string): string;
  /** `INSERT`, `INSERT IGNORE`, `INSERT OR IGNORE`. */
  verb: string;
  /** Text after the VALUES list (a conflict clause), or ''. */
  suffix: string;
}

const MAX_CACHED_TEXTS = 256;
const texts = new Map<string, string>();

/**
 * One multi-row `INSERT` of `rows` (objects with the same keys, in the same
 * order: the repositories' converters build them so) as a compiled query with
 * positional parameters. The write path's bulk statements bypass the query
 * builder: for 20,000 field rows its per-value compilation cost more than
 * the database spent inserting them. The text depends only on table,
 * columns, row count and syntax, so it is cached and SQLite's statement
 * cache sees the same text again.
 */
export function insertStatement(
  table: string,
  rows: readonly object[],
  syntax: InsertSyntax,
): CompiledQuery {
  const first = rows[0];
  if (first === undefined) throw new RangeError('insertStatement needs at least one row');
  const columns = Object.keys(first);
  const parameters: unknown[] = new Array<unknown>(rows.length * columns.length);
  let at = 0;
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    for (const column of columns) parameters[at++] = record[column] ?? null;
  }
  return CompiledQuery.raw(statementText(table, columns, rows.length, syntax), parameters);
}

function statementText(
  table: string,
  columns: readonly string[],
  rowCount: number,
  syntax: InsertSyntax,
): string {
  const key = `${syntax.quote(table)}\u0000${syntax.verb}\u0000${columns.join(',')}\u0000${rowCount}\u0000${syntax.suffix}`;
  const cached = texts.get(key);
  if (cached !== undefined) return cached;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const text =
    `${syntax.verb} INTO ${syntax.quote(table)} (${columns.map(syntax.quote).join(', ')}) VALUES ` +
    `${new Array<string>(rowCount).fill(tuple).join(', ')}${syntax.suffix === '' ? '' : ` ${syntax.suffix}`}`;
  if (texts.size >= MAX_CACHED_TEXTS) texts.delete(texts.keys().next().value as string);
  texts.set(key, text);
  return text;
}
