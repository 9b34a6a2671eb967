import { z } from 'zod';
import { InvalidStoreUrlError } from './errors.js';

/** Where a store lives, parsed from its URL once, at the edge. */
export type StoreLocation =
  | {
      backend: 'mysql';
      host: string;
      port: number;
      user: string;
      password: string | undefined;
      database: string;
    }
  | {
      backend: 'sqlite';
      path: string;
      /** Page cache per connection in MiB (`?cache_mb=N`); the dialect's default when absent. */
      cacheMb?: number;
    };

/** Bounds of `?cache_mb=` (1 MiB to 1 TiB). */
const SQLITE_CACHE_MB = { min: 1, max: 1_048_576 };

const MysqlUrlSchema = z.object({
  host: z.string().min(1, 'the host is missing'),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1, 'the user is missing'),
  password: z.string().optional(),
  database: z
    .string()
    .regex(/^[A-Za-z0-9_$]{1,64}$/u, 'the database name must be 1-64 letters, digits, _ or $'),
});

/**
 * Parses `mysql://user[:pass]@host:port/db`, `sqlite:PATH` or `sqlite::memory:`.
 * A SQLite URL may end in `?cache_mb=N`, the page cache of its connection
 * in MiB (larger stores write faster with more; see the storage README).
 *
 * @example parseStoreUrl('sqlite::memory:') // { backend: 'sqlite', path: ':memory:' }
 * @example parseStoreUrl('sqlite:w.db?cache_mb=1024') // { backend: 'sqlite', path: 'w.db', cacheMb: 1024 }
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (url.startsWith('sqlite:')) return parseSqlite(url);
  if (url.startsWith('mysql://')) return parseMysql(url);
  throw new InvalidStoreUrlError(url, 'the scheme must be mysql:// or sqlite:');
}

function parseSqlite(url: string): StoreLocation {
  const rest = url.slice('sqlite:'.length).replace(/^\/\//u, '');
  const query = rest.lastIndexOf('?');
  const path = query === -1 ? rest : rest.slice(0, query);
  if (path.length === 0) throw new InvalidStoreUrlError(url, 'the sqlite path is empty');
  if (query === -1) return { backend: 'sqlite', path };
  let cacheMb: number | undefined;
  for (const [name, value] of new URLSearchParams(rest.slice(query + 1))) {
    if (name !== 'cache_mb')
      throw new InvalidStoreUrlError(
        url,
        `unknown sqlite URL parameter "${name}" (the only one is cache_mb, e.g. sqlite:weft.db?cache_mb=1024)`,
      );
    const mb = /^\d+$/u.test(value) ? Number(value) : NaN;
    if (!(mb >= SQLITE_CACHE_MB.min && mb <= SQLITE_CACHE_MB.max))
      throw new InvalidStoreUrlError(
        url,
        `cache_mb must be a whole number of MiB from ${SQLITE_CACHE_MB.min} to ${SQLITE_CACHE_MB.max}, got "${value}"`,
      );
    cacheMb = mb;
  }
  return cacheMb === undefined ? { backend: 'sqlite', path } : { backend: 'sqlite', path, cacheMb };
}

function parseMysql(url: string): StoreLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidStoreUrlError(url, 'it is not a well-formed URL');
  }
  const result = MysqlUrlSchema.safeParse({
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//u, '')),
  });
  if (!result.success) {
    const problem = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new InvalidStoreUrlError(url, problem);
  }
  return { backend: 'mysql', ...result.data, password: result.data.password };
}
