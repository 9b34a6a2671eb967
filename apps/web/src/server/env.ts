import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The web app's configuration, read and validated once. Everything has a
 * demo-friendly default so `next start` works on a fresh clone:
 *
 * - `WEFT_DATA_DIR` (default `<repo>/.weft`): where the embedded database and the
 *   generated dev secret live.
 * - `WEFT_DB` (default `sqlite:<data dir>/weft.db`): the store URL, `sqlite:PATH`
 *   or `mysql://user:pass@host:port/db`, shared with the correlator.
 * - `BETTER_AUTH_SECRET`: the session-signing secret. When unset, a random one is
 *   generated once and kept in `<data dir>/auth-secret` (never in the repository).
 * - `WEFT_BASE_URL` (default `http://localhost:3000`): the public origin.
 * - `WEFT_ADMIN_EMAIL` / `WEFT_ADMIN_PASSWORD`: optional first-run admin.
 */
const EnvSchema = z.object({
  WEFT_DATA_DIR: z.string().min(1).optional(),
  WEFT_DB: z
    .string()
    .regex(/^(sqlite:|mysql:\/\/)/, 'must start with sqlite: or mysql://')
    .optional(),
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  WEFT_BASE_URL: z.url().optional(),
  WEFT_ADMIN_EMAIL: z.email().optional(),
  WEFT_ADMIN_PASSWORD: z.string().min(8).optional(),
});

export interface WebConfig {
  dataDir: string;
  dbUrl: string;
  authSecret: string;
  baseUrl: string;
  bootstrapAdmin: { email: string; password: string } | null;
}

let cached: WebConfig | null = null;

/** The validated configuration; throws a message naming the bad variable. */
export function config(): WebConfig {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(
    /*turbopackIgnore: true*/ env.WEFT_DATA_DIR ?? path.join(process.cwd(), '../../.weft'),
  );
  mkdirSync(dataDir, { recursive: true });
  cached = {
    dataDir,
    dbUrl: env.WEFT_DB ?? `sqlite:${path.join(dataDir, 'weft.db')}`,
    authSecret: env.BETTER_AUTH_SECRET ?? persistedDevSecret(dataDir),
    baseUrl: env.WEFT_BASE_URL ?? 'http://localhost:3000',
    bootstrapAdmin:
      env.WEFT_ADMIN_EMAIL && env.WEFT_ADMIN_PASSWORD
        ? { email: env.WEFT_ADMIN_EMAIL, password: env.WEFT_ADMIN_PASSWORD }
        : null,
  };
  return cached;
}

function persistedDevSecret(dataDir: string): string {
  const file = path.join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
