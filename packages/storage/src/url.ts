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
  | { backend: 'sqlite'; path: string };

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
 *
 * @example parseStoreUrl('sqlite::memory:') // { backend: 'sqlite', path: ':memory:' }
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (url.startsWith('sqlite:')) return parseSqlite(url);
  if (url.startsWith('mysql://')) return parseMysql(url);
  throw new InvalidStoreUrlError(url, 'the scheme must be mysql:// or sqlite:');
}

function parseSqlite(url: string): StoreLocation {
  const path = url.slice('sqlite:'.length).replace(/^\/\//u, '');
  if (path.length === 0) throw new InvalidStoreUrlError(url, 'the sqlite path is empty');
  return { backend: 'sqlite', path };
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
