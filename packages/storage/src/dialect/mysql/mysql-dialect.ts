import { Kysely, MysqlDialect, sql } from 'kysely';
import type { Transaction } from 'kysely';
import { createPool } from 'mysql2';
import type { StatementLimits } from '../../chunks.js';
import { MigrationError } from '../../errors.js';
import type { DimensionColumnType } from '../../dimensions/dimension-spec.js';
import type { Database } from '../../schema.js';
import type { StoreDialect } from '../dialect.js';
import { insertStatement } from '../insert-statement.js';
import { retryTransient } from '../retry.js';
import { mysqlStatementLimits } from './mysql-limits.js';

/** Connection settings of a MySQL-family store, already validated. */
export interface MysqlConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  poolSize?: number;
  /** Lowers the byte budget of one multi-row write (see mysqlStatementLimits). */
  maxStatementBytes?: number;
}

/** mysql2 error numbers that mean "run the transaction again": deadlock, lock wait, TiDB write conflict. */
const TRANSIENT_ERRNOS = new Set([1213, 1205, 9007, 8002, 8022, 8028]);
const MIGRATION_LOCK = 'weft_migrations';
const RETRY = { attempts: 10, maxBackoffMs: 250 };
/** Tables the ad-hoc dashboard path scans; TiDB gives them a TiFlash (columnar) replica. */
const ANALYTICAL_TABLES = ['sessions', 'session_fields'];
const MIGRATION_LOCK_TIMEOUT_S = 300;
/** MySQL 8's and MariaDB 10.6+'s default, should a server not report its own. */
const DEFAULT_PACKET_BYTES = 16 * 1024 * 1024;

/**
 * Opens a MySQL / MariaDB / TiDB store. TiDB is detected once from
 * `SELECT VERSION()`; only then are TiFlash hints emitted. The server's
 * `max_allowed_packet` is read once, here (a pool connection gets the global
 * value when it connects; raising it later needs a new store).
 */
export async function openMysqlDialect(options: MysqlConnectionOptions): Promise<StoreDialect> {
  const pool = createPool({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    connectionLimit: options.poolSize ?? 10,
    charset: 'utf8mb4_bin',
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    timezone: 'Z',
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  const server = await sql<{
    v: string;
    packet: number | string;
  }>`SELECT VERSION() AS v, @@max_allowed_packet AS packet`.execute(db);
  const isTiDB = (server.rows[0]?.v ?? '').includes('TiDB');
  const limits = mysqlStatementLimits(
    Number(server.rows[0]?.packet ?? DEFAULT_PACKET_BYTES),
    options.maxStatementBytes,
  );
  return mysqlDialect(db, isTiDB, limits);
}

function mysqlDialect(
  db: Kysely<Database>,
  isTiDB: boolean,
  statementLimits: StatementLimits,
): StoreDialect {
  return {
    backend: 'mysql',
    db,
    migrationSuffix: 'mysql',
    statementLimits,
    transactionalDdl: false,
    rowTtl: isTiDB,
    async upsert(executor, table, rows, _conflictKeys, update) {
      if (rows.length === 0) return;
      // `VALUES(col)`, not the `AS new` row alias: TiDB does not bind the alias.
      const assignments = update.map((c) => `${quote(c)} = VALUES(${quote(c)})`).join(', ');
      const syntax = { quote, verb: 'INSERT', suffix: `ON DUPLICATE KEY UPDATE ${assignments}` };
      await executor.executeQuery(insertStatement(table, rows, syntax));
    },
    async insert(executor, table, rows) {
      if (rows.length === 0) return;
      await executor.executeQuery(
        insertStatement(table, rows, { quote, verb: 'INSERT', suffix: '' }),
      );
    },
    async insertIgnore(executor, table, rows) {
      if (rows.length === 0) return;
      const syntax = { quote, verb: 'INSERT IGNORE', suffix: '' };
      await executor.executeQuery(insertStatement(table, rows, syntax));
    },
    fixedJoin: 'STRAIGHT_JOIN',
    useIndex: (index) => `FORCE INDEX (${quote(index)})`,
    forUpdate: (query) => query.forUpdate(),
    analyticHint: (aliases) =>
      isTiDB && aliases.length > 0
        ? `/*+ READ_FROM_STORAGE(TIFLASH[${aliases.join(', ')}]) */`
        : '',
    writeTransaction: <T>(work: (trx: Transaction<Database>) => Promise<T>) =>
      retryTransient(() => db.transaction().execute(work), isTransientMysqlError, RETRY),
    withMigrationLock: (work) =>
      db.connection().execute(async (connection) => {
        const got = await sql<{
          got: number | null;
        }>`SELECT GET_LOCK(${MIGRATION_LOCK}, ${MIGRATION_LOCK_TIMEOUT_S}) AS got`.execute(
          connection,
        );
        if (Number(got.rows[0]?.got) !== 1) {
          throw new MigrationError(
            `Could not take the migration lock "${MIGRATION_LOCK}" within ${MIGRATION_LOCK_TIMEOUT_S}s: ` +
              'another `weft migrate` is still running; wait for it or check SELECT IS_USED_LOCK(...).',
          );
        }
        try {
          return await work(connection);
        } finally {
          await sql`SELECT RELEASE_LOCK(${MIGRATION_LOCK})`.execute(connection);
        }
      }),
    async executeDdl(executor, statement) {
      await sql.raw(statement).execute(executor);
    },
    async ensureMigrationsTable(executor) {
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS weft_migrations (
             version INT NOT NULL, name VARCHAR(191) NOT NULL, checksum CHAR(64) NOT NULL,
             applied_at BIGINT NOT NULL, PRIMARY KEY (version)
           ) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin`,
        )
        .execute(executor);
    },
    async prepareAnalytics(executor) {
      if (!isTiDB) return;
      for (const table of ANALYTICAL_TABLES) {
        try {
          await sql.raw(`ALTER TABLE ${table} SET TIFLASH REPLICA 1`).execute(executor);
        } catch {
          // No TiFlash node in this cluster: the ad-hoc path then reads TiKV.
        }
      }
    },
    dimensionColumnType: (type, key) => MYSQL_DIMENSION_TYPES[type][key ? 1 : 0],
    dimensionTableOptions: 'DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin',
    upsertClause: (keys, update) =>
      sql`ON DUPLICATE KEY UPDATE ${sql.join(
        (update.length > 0 ? update : keys.slice(0, 1)).map(
          (c) => sql`${sql.id(c)} = VALUES(${sql.id(c)})`,
        ),
      )}`,
    async tableColumns(executor, schema, name) {
      const rows = await sql<{ c: string }>`SELECT column_name AS c FROM information_schema.columns
        WHERE table_schema = COALESCE(${schema}, DATABASE()) AND table_name = ${name}
        ORDER BY ordinal_position`.execute(executor);
      return rows.rows.map((row) => row.c);
    },
    async analyze(executor) {
      await sql
        .raw('ANALYZE TABLE sessions, session_fields, session_nodes, rollups')
        .execute(executor);
    },
    close: () => db.destroy(),
  };
}

/** [other column, key column] per dimension type; keys must be indexable, hence VARCHAR(255). */
const MYSQL_DIMENSION_TYPES: Record<DimensionColumnType, readonly [string, string]> = {
  string: ['TEXT', 'VARCHAR(255)'],
  number: ['DOUBLE', 'DOUBLE'],
  boolean: ['BOOLEAN', 'BOOLEAN'],
  timestamp: ['BIGINT', 'BIGINT'],
};

function quote(identifier: string): string {
  return `\`${identifier}\``;
}

function isTransientMysqlError(error: unknown): boolean {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && TRANSIENT_ERRNOS.has(errno);
}
