import { z } from 'zod';
import type { StoreDialect } from './dialect/dialect.js';
import { StorageValidationError } from './errors.js';
import { purgeSessions } from './sessions/session-queries.js';

const DAY_MS = 86_400_000;

/**
 * How long sessions are kept. Fields and nodes outlive their session row by
 * `graceDays` under TiDB's TTL (which expires each table on its own), so a
 * visible session never lacks them; reads go through the session row, so
 * the leftover rows are invisible until they expire too.
 */
export const RetentionPolicySchema = z.object({
  maxAgeDays: z.number().int().min(1).max(36_500),
  graceDays: z.number().int().min(1).max(365).default(1),
  batchSize: z.number().int().min(1).max(10_000).default(1000),
});
export type RetentionPolicy = z.input<typeof RetentionPolicySchema>;

/** What `enforceRetention` did: set TiDB row TTLs, or purged expired sessions in batches. */
export type RetentionOutcome =
  { mode: 'ttl'; statements: string[] } | { mode: 'purge'; purged: number; endedBefore: number };

/**
 * The TiDB DDL that makes the database expire sessions itself: the session
 * row after `maxAgeDays` from when it was stored, its fields and nodes
 * `graceDays` later (see RetentionPolicySchema).
 *
 * @example ttlStatements({ maxAgeDays: 90 })[0]
 * // "ALTER TABLE sessions TTL = `stored_at` + INTERVAL 90 DAY TTL_ENABLE = 'ON' TTL_JOB_INTERVAL = '1h'"
 */
export function ttlStatements(input: RetentionPolicy): string[] {
  const policy = parsePolicy(input);
  const ttl = (table: string, days: number) =>
    `ALTER TABLE ${table} TTL = \`stored_at\` + INTERVAL ${days} DAY TTL_ENABLE = 'ON' TTL_JOB_INTERVAL = '1h'`;
  const children = policy.maxAgeDays + policy.graceDays;
  return [
    ttl('sessions', policy.maxAgeDays),
    ttl('session_fields', children),
    ttl('session_nodes', children),
  ];
}

/**
 * Applies a retention policy. On TiDB (detected from `SELECT VERSION()`) it
 * sets row TTLs once and TiDB's background jobs expire rows without locking
 * writers; elsewhere it deletes the sessions that ended more than
 * `maxAgeDays` before `now`, in short batched transactions (run it
 * periodically). Rollups keep their history either way.
 *
 * @example await store.retention.enforce({ maxAgeDays: 90 }) // { mode: 'purge', purged: 1200, ... }
 */
export async function enforceRetention(
  dialect: StoreDialect,
  input: RetentionPolicy,
  now: number = Date.now(),
): Promise<RetentionOutcome> {
  const policy = parsePolicy(input);
  if (dialect.rowTtl) {
    const statements = ttlStatements(policy);
    for (const statement of statements) await dialect.executeDdl(dialect.db, statement);
    return { mode: 'ttl', statements };
  }
  const endedBefore = now - policy.maxAgeDays * DAY_MS;
  const purged = await purgeSessions(dialect, endedBefore, policy.batchSize);
  return { mode: 'purge', purged, endedBefore };
}

function parsePolicy(input: RetentionPolicy): z.output<typeof RetentionPolicySchema> {
  const parsed = RetentionPolicySchema.safeParse(input);
  if (!parsed.success) {
    throw new StorageValidationError(
      `Invalid retention policy: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'policy'}: ${issue.message}`)
        .join('; ')}. Example: { maxAgeDays: 90 }.`,
    );
  }
  return parsed.data;
}
