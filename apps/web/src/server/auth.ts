import { betterAuth } from 'better-auth';
import type { BetterAuthOptions } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { nextCookies } from 'better-auth/next-js';
import { admin } from 'better-auth/plugins';
import { MysqlDialect, SqliteDialect } from 'kysely';
import Database from 'libsql';
import { createPool } from 'mysql2';
// The URL parser alone (zod, no drivers): safe to bundle, unlike the rest of @weft/storage.
import { parseStoreUrl } from '@weft/storage/url';
import { accessControl, roles } from '@/features/admin/lib/roles';
import { sessionCookies } from './cookies';
import { config } from './env';

/**
 * better-auth, stored in the same database as the sessions (the store URL of
 * `WEFT_DB`). @weft/storage does not expose a Kysely handle, so better-auth
 * opens its own connection through its built-in Kysely dialects: a libsql
 * `Database` (better-sqlite3 compatible) on the same SQLite file, or a mysql2
 * pool on the same MySQL URL, each behind Kysely (the dialect better-auth
 * speaks). Its tables are prefixed `auth_` so they never
 * meet the store's.
 */
function createAuth() {
  const { dbUrl, authSecret, baseUrl } = config();
  const database: BetterAuthOptions['database'] = dbUrl.startsWith('sqlite:')
    ? { type: 'sqlite', dialect: new SqliteDialect({ database: openSqlite(dbUrl) }) }
    : {
        type: 'mysql',
        dialect: new MysqlDialect({ pool: createPool({ uri: dbUrl, connectionLimit: 5 }) }),
      };
  const auth = betterAuth({
    appName: 'Weft',
    baseURL: baseUrl,
    secret: authSecret,
    database,
    user: { modelName: 'auth_user' },
    session: { modelName: 'auth_session' },
    account: { modelName: 'auth_account' },
    verification: { modelName: 'auth_verification' },
    // Accounts are created by an admin (or the first-run bootstrap), never by sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    advanced: sessionCookies(baseUrl),
    plugins: [
      admin({ ac: accessControl, roles, defaultRole: 'operator', adminRoles: ['admin'] }),
      nextCookies(),
    ],
  });
  return { auth, options: auth.options };
}

function openSqlite(dbUrl: string): Database.Database {
  // The store's own parser: `sqlite://PATH` and a `?cache_mb=` suffix name the same file.
  const location = parseStoreUrl(dbUrl);
  if (location.backend !== 'sqlite') throw new Error(`${dbUrl} is not a sqlite: URL`);
  const db = new Database(location.path);
  // The correlator writes the same file: wait for its write lock instead of failing.
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}

export type Auth = ReturnType<typeof createAuth>['auth'];

let instance: ReturnType<typeof createAuth> | null = null;
let ready: Promise<void> | null = null;

/**
 * The auth instance, with its tables created on first use (idempotent). A
 * failed table check (the database was down) is tried again on the next call.
 */
export async function getAuth(): Promise<Auth> {
  instance ??= createAuth();
  const { options } = instance;
  ready ??= getMigrations(options)
    .then(({ runMigrations }) => runMigrations())
    .catch((error: unknown) => {
      ready = null;
      throw error;
    });
  await ready;
  return instance.auth;
}
