import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { StatementLimits } from '../chunks.js';
import type { DimensionColumnType } from '../dimensions/dimension-spec.js';
import type { Database, TableName } from '../schema.js';

/** A Kysely handle that is either the pool or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Everything that differs between the MySQL family and SQLite, and nothing
 * else: repositories speak through this and never test which backend runs.
 */
export interface StoreDialect {
  readonly backend: 'mysql' | 'sqlite';
  readonly db: Kysely<Database>;
  /** Suffix of the migration files this backend applies (`0001_init.<suffix>.sql`). */
  readonly migrationSuffix: 'mysql' | 'sqlite';
  /**
   * How big one multi-row write may be (bind parameters, estimated bytes,
   * the server's packet limit): writers split their rows with
   * `statementChunks(rows, dialect.statementLimits, …)`.
   */
  readonly statementLimits: StatementLimits;
  /**
   * Inserts rows; on a primary-key conflict overwrites `update` columns with
   * the new row's values (`VALUES(col)` / `excluded.col`).
   */
  upsert<T extends TableName>(
    executor: Executor,
    table: T,
    rows: readonly object[],
    conflictKeys: readonly string[],
    update: readonly string[],
  ): Promise<void>;
  /** Inserts rows (one multi-row statement; a key conflict is an error). */
  insert<T extends TableName>(executor: Executor, table: T, rows: readonly object[]): Promise<void>;
  /** Inserts rows, silently keeping the existing row on a key conflict. */
  insertIgnore<T extends TableName>(
    executor: Executor,
    table: T,
    rows: readonly object[],
  ): Promise<void>;
  /** Adds the row-locking clause of a read-modify-write (`FOR UPDATE`; nothing where writes are serialized). */
  forUpdate<QB extends { forUpdate(): QB }>(query: QB): QB;
  /** The inner join that keeps the written table order (`STRAIGHT_JOIN`; SQLite's `CROSS JOIN`). */
  readonly fixedJoin: 'STRAIGHT_JOIN' | 'CROSS JOIN';
  /** Index hint after a table alias that makes the planner use `index` (`FORCE INDEX (…)` / `INDEXED BY …`). */
  useIndex(index: string): string;
  /** Optimizer hint for analytical scans over the given table aliases ('' where there is none). */
  analyticHint(aliases: readonly string[]): string;
  /** Runs `work` in a write transaction, retrying it when the database reports a deadlock or busy lock. */
  writeTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Runs `work` while holding the cluster-wide migration lock, on one connection. */
  withMigrationLock<T>(work: (executor: Executor) => Promise<T>): Promise<T>;
  /** Runs one DDL statement from a migration file. */
  executeDdl(executor: Executor, statement: string): Promise<void>;
  /** True when a migration's DDL can run inside the migration lock's transaction. */
  readonly transactionalDdl: boolean;
  /** Creates the migrations bookkeeping table if it is missing. */
  ensureMigrationsTable(executor: Executor): Promise<void>;
  /** Backend-specific analytics setup after migrations (TiDB: TiFlash replicas); a no-op elsewhere. */
  prepareAnalytics(executor: Executor): Promise<void>;
  /** True where the database expires rows itself by TTL table options (TiDB); retention then sets TTLs instead of purging. */
  readonly rowTtl: boolean;
  /** The SQL type of a dimension table column (`dimensions.load` creates missing tables with it). */
  dimensionColumnType(type: DimensionColumnType, key: boolean): string;
  /** What follows the column list of a created dimension table ('' or the character set). */
  readonly dimensionTableOptions: string;
  /**
   * The conflict clause of an insert keyed by `keys` that overwrites `update`
   * (`ON DUPLICATE KEY UPDATE …` / `ON CONFLICT (…) DO UPDATE SET …`), with
   * every identifier quoted by Kysely.
   */
  upsertClause(keys: readonly string[], update: readonly string[]): RawBuilder<unknown>;
  /** The columns of `schema.name` (schema null: the store's own database) in order; none when it does not exist. */
  tableColumns(executor: Executor, schema: string | null, name: string): Promise<string[]>;
  /** Refreshes the optimizer's statistics (after a bulk load, or periodically). */
  analyze(executor: Executor): Promise<void>;
  close(): Promise<void>;
}
