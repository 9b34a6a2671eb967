import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'libsql';
import { createConnection } from 'mysql2/promise';
import { applyMigrations, openStore, parseStoreUrl } from '../src/index.js';
import type { Store } from '../src/index.js';
import type { StoreDialect } from '../src/dialect/dialect.js';
import { openMysqlDialect } from '../src/dialect/mysql/mysql-dialect.js';
import { openSqliteDialect } from '../src/dialect/sqlite/sqlite-dialect.js';

/** A fresh, empty database of one backend, and how to throw it away. */
export interface TestDatabase {
  url: string;
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'sqlite' | 'mysql';
  createDatabase(): Promise<TestDatabase>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async createDatabase() {
    const dir = await mkdtemp(join(tmpdir(), 'weft-storage-'));
    return {
      url: `sqlite:${join(dir, 'weft.db')}`,
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

function mysqlBackend(baseUrl: string): Backend {
  return {
    name: 'mysql',
    async createDatabase() {
      const location = parseStoreUrl(baseUrl);
      if (location.backend !== 'mysql')
        throw new Error(`WEFT_TEST_MYSQL_URL is not a mysql:// URL`);
      const name = `weft_test_${randomBytes(6).toString('hex')}`;
      const admin = await createConnection({
        host: location.host,
        port: location.port,
        user: location.user,
        password: location.password,
      });
      await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async dispose() {
          await admin.query(`DROP DATABASE IF EXISTS ${name}`);
          await admin.end();
        },
      };
    },
  };
}

/**
 * The backends every storage test runs against: SQLite always, MariaDB/MySQL
 * when WEFT_TEST_MYSQL_URL is set. Under CI=true a missing variable fails the
 * run instead of silently testing one backend.
 */
export function testBackends(): Backend[] {
  const url = process.env.WEFT_TEST_MYSQL_URL;
  if (url !== undefined && url !== '') return [sqlite, mysqlBackend(url)];
  if (process.env.CI === 'true') {
    return [
      sqlite,
      {
        name: 'mysql',
        createDatabase: () =>
          Promise.reject(
            new Error(
              'CI=true but WEFT_TEST_MYSQL_URL is not set: storage tests must run against MariaDB in CI.',
            ),
          ),
      },
    ];
  }
  warnOnce();
  return [sqlite];
}

let warned = false;
function warnOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(
    '\n[@weft/storage] WEFT_TEST_MYSQL_URL is not set: SKIPPING the MariaDB backend, testing SQLite only.\n' +
      '  Set WEFT_TEST_MYSQL_URL=mysql://weft:weft@127.0.0.1:3306/weft_test to test both.\n',
  );
}

/** Opens a migrated store on a fresh database; `close` closes it and drops the database. */
export async function freshStore(
  backend: Backend,
): Promise<{ store: Store; url: string; close(): Promise<void> }> {
  const database = await backend.createDatabase();
  const store = await openStore(database.url);
  await applyMigrations(store);
  return {
    store,
    url: database.url,
    async close() {
      await store.close();
      await database.dispose();
    },
  };
}

/**
 * Runs one statement on a store's database behind the API's back, to set up
 * states the API cannot produce (rows written by an older schema version).
 */
export async function executeRaw(url: string, statement: string): Promise<void> {
  const location = parseStoreUrl(url);
  if (location.backend === 'sqlite') {
    const db = new Database(location.path);
    try {
      db.exec(statement);
    } finally {
      db.close();
    }
    return;
  }
  const { host, port, user, password, database } = location;
  const connection = await createConnection({ host, port, user, password, database });
  try {
    await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** The tables a store's upserts and rollup definitions write. */
const DATA_TABLES = [
  'sessions',
  'session_fields',
  'session_nodes',
  'field_catalog',
  'rollup_specs',
  'rollups',
];

/**
 * Copies every row of the data tables from `sourceUrl` (a fully migrated
 * database of the same backend) into `targetUrl` (an older schema), in the
 * columns both have: what a writer of that older version would have stored.
 * Lets the migration tests populate an old schema with today's API.
 */
export async function copyIntoOlderSchema(sourceUrl: string, targetUrl: string): Promise<void> {
  const source = parseStoreUrl(sourceUrl);
  const target = parseStoreUrl(targetUrl);
  if (source.backend === 'sqlite' && target.backend === 'sqlite') {
    const db = new Database(target.path);
    try {
      db.prepare('ATTACH DATABASE ? AS src').run(source.path);
      for (const table of DATA_TABLES) {
        const columnsOf = (schema: string) =>
          (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string }[]).map(
            (c) => c.name,
          );
        const from = new Set(columnsOf('src'));
        const shared = columnsOf('main').filter((c) => from.has(c));
        const list = shared.join(', ');
        db.exec(`INSERT INTO main.${table} (${list}) SELECT ${list} FROM src.${table}`);
      }
      db.exec('DETACH DATABASE src');
    } finally {
      db.close();
    }
    return;
  }
  if (source.backend !== 'mysql' || target.backend !== 'mysql')
    throw new Error('copyIntoOlderSchema copies between databases of one backend');
  const { host, port, user, password } = target;
  const connection = await createConnection({ host, port, user, password });
  try {
    for (const table of DATA_TABLES) {
      const [rows] = await connection.query(
        `SELECT column_name AS c FROM information_schema.columns
         WHERE table_schema = ? AND table_name = ? AND column_name IN
           (SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?)
         ORDER BY ordinal_position`,
        [target.database, table, source.database, table],
      );
      const list = (rows as { c: string }[]).map((r) => `\`${r.c}\``).join(', ');
      await connection.query(
        `INSERT INTO \`${target.database}\`.${table} (${list}) SELECT ${list} FROM \`${source.database}\`.${table}`,
      );
    }
  } finally {
    await connection.end();
  }
}

/** A table's columns (in order) and its indexes' columns (the primary key as `primary`), comparable across backends. */
export interface TableShape {
  columns: string[];
  indexes: Record<string, string[]>;
}

/** The shape of `table` as the database reports it (information_schema / PRAGMA). */
export async function tableShape(url: string, table: string): Promise<TableShape> {
  const location = parseStoreUrl(url);
  if (location.backend === 'sqlite') {
    const db = new Database(location.path);
    try {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
        (c) => c.name,
      );
      const indexes: Record<string, string[]> = {};
      const list = db.prepare(`PRAGMA index_list(${table})`).all() as {
        name: string;
        origin: string;
      }[];
      for (const index of list) {
        const info = db.prepare(`PRAGMA index_xinfo(${index.name})`).all() as {
          name: string | null;
          key: number;
        }[];
        indexes[index.origin === 'pk' ? 'primary' : index.name] = info
          .filter((c) => c.key === 1 && c.name !== null)
          .map((c) => c.name as string);
      }
      return { columns, indexes };
    } finally {
      db.close();
    }
  }
  const { host, port, user, password, database } = location;
  const connection = await createConnection({ host, port, user, password, database });
  try {
    const [columns] = await connection.query(
      'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
      [database, table],
    );
    const [stats] = await connection.query(
      'SELECT index_name AS i, column_name AS c FROM information_schema.statistics WHERE table_schema = ? AND table_name = ? ORDER BY index_name, seq_in_index',
      [database, table],
    );
    const indexes: Record<string, string[]> = {};
    for (const { i, c } of stats as { i: string; c: string }[])
      (indexes[i === 'PRIMARY' ? 'primary' : i] ??= []).push(c);
    return { columns: (columns as { c: string }[]).map((r) => r.c), indexes };
  } finally {
    await connection.end();
  }
}

/** The dialect under a store URL, for tests that read or write tables behind the API. */
export async function openDialect(url: string): Promise<StoreDialect> {
  const location = parseStoreUrl(url);
  return location.backend === 'mysql'
    ? openMysqlDialect(location)
    : openSqliteDialect(location.path);
}
