import { z } from 'zod';
import type { StoreDialect } from './dialect/dialect.js';
import { StorageValidationError } from './errors.js';
import { purgeDeadLetters } from './dead-letters.js';
import { purgeOrphans } from './orphans.js';
import { purgeRollupsBefore } from './rollups/rollups.js';
import { purgeSessions } from './sessions/session-queries.js';

const DAY_MS = 86_400_000;

/**
 * What is kept, and for how long. `maxAgeDays` applies to what the
 * correlator stores per record: sessions (with their fields and nodes),
 * orphans (by their record's event time) and dead letters (by when they
 * were recorded). `minuteRollupDays` applies to the rollups' minute rows,
 * which only short dashboards read (the web app's "1 hour" range and the
 * hour before it); hour and day rows, one per hour or day and dimension
 * values, are kept, so dashboards keep their history after the sessions are
 * gone. Fields and nodes outlive their session row by `graceDays` under
 * TiDB's TTL (which expires each table on its own), so a visible session
 * never lacks them; reads go through the session row, so the leftover rows
 * are invisible until they expire too. Operator actions (the audit trail),
 * entity profiles and identity links have retention of their own.
 */
export const RetentionPolicySchema = z.object({
  maxAgeDays: z.number().int().min(1).max(36_500),
  graceDays: z.number().int().min(1).max(365).default(1),
  minuteRollupDays: z.number().int().min(1).max(36_500).default(7),
  batchSize: z.number().int().min(1).max(10_000).default(1000),
});
export type RetentionPolicy = z.input<typeof RetentionPolicySchema>;

/** What `enforceRetention` did, with the cut-offs it used (epoch ms). */
export interface RetentionOutcome {
  /** `ttl`: TiDB expires sessions itself (`statements` set it); `purge`: sessions were deleted here. */
  mode: 'ttl' | 'purge';
  /** The TTL DDL applied (TiDB); empty in purge mode. */
  statements: string[];
  /** Sessions deleted (0 under TTL: the database deletes them). */
  sessions: number;
  orphans: number;
  deadLetters: number;
  minuteRollupRows: number;
  /** Sessions that ended, orphans whose record happened, and dead letters recorded before this went. */
  before: number;
  /** Minute rollup rows of buckets starting before this went. */
  minuteRollupsBefore: number;
}

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
 * Applies a retention policy; run it periodically (`weft retention` does,
 * from cron or a scheduler). Sessions: on TiDB (detected from
 * `SELECT VERSION()`) it sets row TTLs once and TiDB's background jobs expire
 * rows without locking writers; elsewhere it deletes the sessions that ended
 * more than `maxAgeDays` before `now`. Orphans, dead letters and minute
 * rollup rows are deleted here on every backend (TTL needs a date column and
 * cannot tell a minute row from an hour row). Every delete runs in short
 * batched transactions, so writers wait at most one batch.
 *
 * @example await store.retention.enforce({ maxAgeDays: 90 }) // { mode: 'purge', sessions: 1200, orphans: 31, … }
 */
export async function enforceRetention(
  dialect: StoreDialect,
  input: RetentionPolicy,
  now: number = Date.now(),
): Promise<RetentionOutcome> {
  const policy = parsePolicy(input);
  const before = now - policy.maxAgeDays * DAY_MS;
  const minuteRollupsBefore = now - policy.minuteRollupDays * DAY_MS;
  const statements = dialect.rowTtl ? ttlStatements(policy) : [];
  for (const statement of statements) await dialect.executeDdl(dialect.db, statement);
  const sessions = dialect.rowTtl ? 0 : await purgeSessions(dialect, before, policy.batchSize);
  return {
    mode: dialect.rowTtl ? 'ttl' : 'purge',
    statements,
    sessions,
    orphans: await purgeOrphans(dialect, before, policy.batchSize),
    deadLetters: await purgeDeadLetters(dialect, before, policy.batchSize),
    minuteRollupRows: await purgeRollupsBefore(dialect, minuteRollupsBefore, policy.batchSize, [
      'm',
    ]),
    before,
    minuteRollupsBefore,
  };
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
