import type { Command } from 'commander';
import { z } from 'zod';
import { applyMigrations } from '@weft/storage';
import type { RetentionOutcome, RetentionPolicy, Store } from '@weft/storage';
import { loadTemplate } from '@weft/templates';
import { storeUrlSchema } from '../config.js';
import { UsageError } from '../errors.js';
import { openStoreForCli } from './migrate.js';

interface RetentionFlags {
  db?: string;
  maxAgeDays?: string;
  minuteRollupDays?: string;
  graceDays?: string;
  batchSize?: string;
}

/** A whole number from a flag, within [1, max]. */
const wholeNumber = (max: number) =>
  z
    .string({ error: 'is required' })
    .trim()
    .regex(/^\d+$/u, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, { message: 'must be at least 1' })
        .max(max, { message: `must be at most ${max}` }),
    );

const FLAGS = z.object({
  db: storeUrlSchema,
  maxAgeDays: wholeNumber(36_500),
  minuteRollupDays: wholeNumber(36_500),
  graceDays: wholeNumber(365),
  batchSize: wholeNumber(10_000),
});

/** The flag each option key comes from, for error messages. */
const FLAG_NAMES: Record<string, string> = {
  db: '--db',
  maxAgeDays: '--max-age-days',
  minuteRollupDays: '--minute-rollup-days',
  graceDays: '--grace-days',
  batchSize: '--batch-size',
};

/**
 * Validates `weft retention`'s flags (`db` falls back to `WEFT_DB`); every
 * problem is reported at once, each naming its flag.
 *
 * @example parseRetentionFlags({ db: 'sqlite:w.db', maxAgeDays: '90' }, {}) // { db, policy: { maxAgeDays: 90, … } }
 */
export function parseRetentionFlags(
  flags: RetentionFlags,
  env: NodeJS.ProcessEnv,
): { db: string; policy: Required<RetentionPolicy> } {
  const parsed = FLAGS.safeParse({
    minuteRollupDays: '7',
    graceDays: '1',
    batchSize: '1000',
    ...definedOnly(flags),
    db: flags.db ?? env.WEFT_DB,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const value = (flags as Record<string, unknown>)[key];
      const shown = value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
      return `${FLAG_NAMES[key] ?? key} ${issue.message}${shown}`;
    });
    throw new UsageError(
      `invalid retention flags: ${problems.join('; ')}. Example: weft retention --db sqlite:weft.db --max-age-days 90`,
    );
  }
  const { db, ...policy } = parsed.data;
  return { db, policy };
}

function definedOnly(flags: RetentionFlags): RetentionFlags {
  return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
}

/** The report of one `weft retention` run, one line per kind of data. */
export function describeRetention(outcome: RetentionOutcome): string[] {
  const day = (ms: number) => new Date(ms).toISOString();
  const count = (n: number) => n.toLocaleString('en-US');
  return [
    outcome.mode === 'ttl'
      ? `sessions: row TTLs set, the database expires them itself (${outcome.statements.length} statements)`
      : `sessions ended before ${day(outcome.before)}: ${count(outcome.sessions)} deleted`,
    `orphans whose record is before ${day(outcome.before)}: ${count(outcome.orphans)} deleted`,
    `dead letters recorded before ${day(outcome.before)}: ${count(outcome.deadLetters)} deleted`,
    `minute rollup rows before ${day(outcome.minuteRollupsBefore)}: ${count(outcome.minuteRollupRows)} deleted (hour and day rows are kept)`,
  ];
}

/** What the identity-link retention of one template deleted. */
export interface LinkRetention {
  templateId: string;
  /** Links and entities last seen (session time) before this went. */
  before: number;
  edges: number;
  nodes: number;
}

/**
 * The identity links of every template whose latest published version
 * declares `entities.links.retention`: edges and nodes last seen (session
 * time, as the correlator's identity graph counts) more than that before
 * the template's newest stored session. The correlator's graph forgets them
 * the same way; its store mirror only adds and updates rows, so without
 * this they stay. Counting back from the newest session rather than the
 * clock keeps a replayed history's links. Templates without stored sessions
 * are skipped.
 */
export async function purgeIdentityLinks(
  store: Store,
  batchSize: number,
): Promise<LinkRetention[]> {
  const out: LinkRetention[] = [];
  for (const { templateId } of await store.templates.list()) {
    const published = (await store.templates.versions(templateId)).find(
      (version) => version.status === 'published',
    );
    if (published === undefined) continue;
    const retention = loadTemplate(published.definition).entities?.links?.retention;
    if (retention === undefined) continue;
    const newest = (await store.sessions.search({ templateId, limit: 1 })).sessions[0];
    if (newest === undefined) continue;
    const before = newest.start - retention;
    const edges = await store.identityEdges.purge({ templateId, before, batchSize });
    const nodes = await store.identityNodes.purge({ templateId, before, batchSize });
    out.push({ templateId, before, edges, nodes });
  }
  return out;
}

/**
 * `weft retention --db URL --max-age-days N`: deletes what is older than the
 * policy (storage's `retention.enforce`) and the identity links templates
 * no longer keep (`purgeIdentityLinks`), in short batches beside running
 * writers. Meant to run periodically, from cron or a scheduler.
 */
export async function runRetention(
  flags: RetentionFlags,
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = console.log,
): Promise<{ outcome: RetentionOutcome; links: LinkRetention[] }> {
  const { db, policy } = parseRetentionFlags(flags, env);
  const store = await openStoreForCli(db);
  try {
    await applyMigrations(store);
    const outcome = await store.retention.enforce(policy);
    for (const line of describeRetention(outcome)) out(line);
    const links = await purgeIdentityLinks(store, Math.min(policy.batchSize, 4000));
    for (const link of links)
      out(
        `identity links of ${link.templateId} last seen before ${new Date(link.before).toISOString()}: ${link.edges.toLocaleString('en-US')} edges and ${link.nodes.toLocaleString('en-US')} entities deleted`,
      );
    return { outcome, links };
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  program
    .command('retention')
    .description(
      'Delete sessions, orphans and dead letters older than --max-age-days and minute rollup rows older than --minute-rollup-days (TiDB: sets row TTLs for sessions); run it periodically',
    )
    .option('--db <url>', 'mysql://user[:pass]@host:port/db or sqlite:PATH (default: WEFT_DB)')
    .option(
      '--max-age-days <n>',
      'keep sessions (by end time), orphans (by record time) and dead letters this many days',
    )
    .option(
      '--minute-rollup-days <n>',
      'keep the rollups’ minute rows this many days (dashboards of the last hour read them)',
      '7',
    )
    .option(
      '--grace-days <n>',
      'TiDB only: fields and nodes expire this many days after their session row',
      '1',
    )
    .option('--batch-size <n>', 'rows deleted per transaction', '1000')
    .action(async (flags: RetentionFlags) => {
      await runRetention(flags);
    });
}
