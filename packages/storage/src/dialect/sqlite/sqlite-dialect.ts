import Database from 'libsql';
import { Kysely, sql } from 'kysely';
import type { SqliteDatabase, SqliteStatement, Transaction } from 'kysely';
import type { StatementLimits } from '../../chunks.js';
import type { Database as Schema } from '../../schema.js';
import type { DimensionColumnType } from '../../dimensions/dimension-spec.js';
import type { Executor, StoreDialect } from '../dialect.js';
import { insertStatement } from '../insert-statement.js';
import { retryTransient } from '../retry.js';
import { ImmediateSqliteDialect } from './sqlite-driver.js';

/**
 * libsql is synchronous: a busy wait inside SQLite blocks the whole event
 * loop, including the connection holding the lock when both live in this
 * process. So SQLite waits only briefly and the retry below waits
 * asynchronously (up to ~30 s in all).
 */
const BUSY_TIMEOUT_MS = 20;
const RETRY = { attempts: 600, maxBackoffMs: 50 };
/** Under SQLite's default limit of 32,766 bind parameters. */
const MAX_PARAMETERS = 30_000;
/**
 * SQLite has no packet: the bound values stay in memory until the statement
 * runs, and this bounds that memory (the MySQL family's cap too).
 */
const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

/** Page cache of a connection when the URL does not say (`?cache_mb=`); SQLite's own default is 2 MiB. */
export const DEFAULT_SQLITE_CACHE_MB = 64;

/**
 * Opens an embedded store on a file (or `:memory:`). One connection per
 * store; Kysely serializes its use, and SQLite serializes writers across
 * processes through the file lock. `maxStatementBytes` lowers the byte
 * budget of one multi-row write; `cacheMb` sets the connection's page cache.
 */
export async function openSqliteDialect(
  path: string,
  {
    maxStatementBytes = Infinity,
    cacheMb = DEFAULT_SQLITE_CACHE_MB,
  }: { maxStatementBytes?: number; cacheMb?: number } = {},
): Promise<StoreDialect> {
  const database = new Database(path);
  database.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (path !== ':memory:') database.exec('PRAGMA journal_mode = WAL');
  database.exec('PRAGMA synchronous = NORMAL');
  // The field indexes are the hot set of every upsert: a page missing from the
  // cache is read again (a system call and a copy) and parsed on every touch.
  database.exec(`PRAGMA cache_size = -${Math.round(cacheMb * 1024)}`);
  const db = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(database) }),
  });
  return sqliteDialect(db, {
    maxParameters: MAX_PARAMETERS,
    maxBytes: Math.min(MAX_STATEMENT_BYTES, maxStatementBytes),
    maxPacketBytes: Infinity,
  });
}

function sqliteDialect(db: Kysely<Schema>, statementLimits: StatementLimits): StoreDialect {
  return {
    backend: 'sqlite',
    db,
    migrationSuffix: 'sqlite',
    statementLimits,
    transactionalDdl: true,
    rowTtl: false,
    async upsert(executor, table, rows, conflictKeys, update) {
      if (rows.length === 0) return;
      const assignments = update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ');
      const suffix = `ON CONFLICT (${conflictKeys.map(quote).join(', ')}) DO UPDATE SET ${assignments}`;
      await executor.executeQuery(insertStatement(table, rows, { quote, verb: 'INSERT', suffix }));
    },
    async insert(executor, table, rows) {
      if (rows.length === 0) return;
      await executor.executeQuery(
        insertStatement(table, rows, { quote, verb: 'INSERT', suffix: '' }),
      );
    },
    async insertIgnore(executor, table, rows) {
      if (rows.length === 0) return;
      const syntax = { quote, verb: 'INSERT OR IGNORE', suffix: '' };
      await executor.executeQuery(insertStatement(table, rows, syntax));
    },
    fixedJoin: 'CROSS JOIN',
    useIndex: (index) => `INDEXED BY ${quote(index)}`,
    forUpdate: (query) => query,
    analyticHint: () => '',
    writeTransaction: <T>(work: (trx: Transaction<Schema>) => Promise<T>) =>
      retryTransient(() => db.transaction().execute(work), isBusy, RETRY),
    // BEGIN IMMEDIATE is the lock: a second migrator waits on busy_timeout,
    // then finds the versions already recorded.
    withMigrationLock: (work) =>
      retryTransient(() => db.transaction().execute(work), isBusy, RETRY),
    async executeDdl(executor, statement) {
      await sql.raw(statement).execute(executor);
    },
    async ensureMigrationsTable(executor) {
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS weft_migrations (
             version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,
             applied_at INTEGER NOT NULL
           )`,
        )
        .execute(executor);
    },
    prepareAnalytics: async () => undefined,
    dimensionColumnType: (type) => SQLITE_DIMENSION_TYPES[type],
    dimensionTableOptions: '',
    upsertClause: (keys, update) =>
      update.length === 0
        ? sql`ON CONFLICT (${sql.join(keys.map((c) => sql.id(c)))}) DO NOTHING`
        : sql`ON CONFLICT (${sql.join(keys.map((c) => sql.id(c)))}) DO UPDATE SET ${sql.join(
            update.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`),
          )}`,
    async tableColumns(executor, schema, name) {
      // An unattached schema is an error in SQLite; "no such table" is the honest answer.
      if (schema !== null && !(await hasSchema(executor, schema))) return [];
      const rows = await (
        schema === null
          ? sql<{ name: string }>`SELECT name FROM pragma_table_info(${name})`
          : sql<{ name: string }>`SELECT name FROM pragma_table_info(${name}, ${schema})`
      ).execute(executor);
      return rows.rows.map((row) => row.name);
    },
    async analyze(executor) {
      await sql.raw('ANALYZE').execute(executor);
    },
    // SQLite's advice: PRAGMA optimize before closing, so that a database that
    // was loaded and queried gets planner statistics (without them the
    // business-key lookup was planned as a scan of the template's sessions).
    // No analysis_limit: sampled statistics of session_fields (whose index
    // starts with the low-cardinality fields) made the search drive from a
    // numeric range, 10x slower than with none.
    async close() {
      await sql.raw('PRAGMA optimize').execute(db);
      await db.destroy();
    },
  };
}

const CACHED_STATEMENTS = 256;

/**
 * Kysely prepares every query afresh; for SQLite, parsing a large multi-row
 * insert costs as much as running it. Repositories chunk rows into
 * statements of a fixed shape, so caching prepared statements by SQL text
 * turns that cost into a one-off. Safe because Kysely serializes the one
 * connection: a cached statement is never used by two queries at once.
 */
function withStatementCache(database: Database.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(text) {
      let statement = cache.get(text);
      if (statement === undefined) {
        statement = database.prepare(text) as unknown as SqliteStatement;
        if (cache.size >= CACHED_STATEMENTS) cache.delete(cache.keys().next().value as string);
      } else {
        cache.delete(text);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

const SQLITE_DIMENSION_TYPES: Record<DimensionColumnType, string> = {
  string: 'TEXT',
  number: 'REAL',
  boolean: 'INTEGER',
  timestamp: 'INTEGER',
};

async function hasSchema(executor: Executor, schema: string): Promise<boolean> {
  const rows = await sql<{ name: string }>`SELECT name FROM pragma_database_list`.execute(executor);
  return rows.rows.some((row) => row.name === schema);
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
