import type { LevelWithSilent } from 'pino';
import { z } from 'zod';
import { brokersSchema, instantSchema, storeUrlSchema, topicPrefixSchema } from '../config.js';
import { UsageError } from '../errors.js';

/** `weft backfill`'s flags, validated once (errors name the flag). */
export interface BackfillOptions {
  template: string;
  /** Directories holding `<source>.ndjson` files, or such files; empty when reading Kafka. */
  inputs: string[];
  /** Read the source topics `<topicPrefix><source>` of these brokers instead of files. */
  kafka: { brokers: string[]; topicPrefix: string } | null;
  db: string;
  /** Event-time range `[from, to)` in epoch ms (±Infinity when not given); records outside it are skipped. */
  from: number;
  to: number;
  logLevel: LevelWithSilent;
  sink: { batchMaxRecords: number; batchMaxDelayMs: number; maxQueued: number };
}

const positiveInt = z.coerce.number().int().positive();

const FLAGS = z.object({
  template: z.string({ error: 'is required' }).trim().min(1),
  input: z.array(z.string().trim().min(1)).min(1).optional(),
  kafka: brokersSchema.optional(),
  topicPrefix: topicPrefixSchema,
  db: storeUrlSchema,
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  batchMaxRecords: positiveInt.default(500),
  sinkMaxQueued: positiveInt.default(10_000),
});

/** The flag each option key comes from, for error messages. */
const FLAG_NAMES: Record<string, string> = {
  template: '--template',
  input: '--input',
  kafka: '--kafka',
  topicPrefix: '--topic-prefix',
  db: '--db',
  from: '--from',
  to: '--to',
  logLevel: '--log-level',
  batchMaxRecords: '--batch-max-records',
  sinkMaxQueued: '--sink-max-queued',
};

/**
 * Validates `weft backfill`'s flags (`db` falls back to `WEFT_DB`); every
 * problem is reported at once, each naming its flag.
 *
 * @example parseBackfillOptions({ template: 't.json', input: ['data/'], db: 'sqlite:w.db', from: '2026-11-24' }, {})
 */
export function parseBackfillOptions(
  flags: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): BackfillOptions {
  const parsed = FLAGS.safeParse({ ...flags, db: flags['db'] ?? env['WEFT_DB'] });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      return `${FLAG_NAMES[key] ?? key}: ${issue.message}`;
    });
    throw new UsageError(`weft backfill: ${problems.join('; ')}`);
  }
  const { input, kafka } = parsed.data;
  if ((input === undefined) === (kafka === undefined)) {
    throw new UsageError(
      'weft backfill: give either --input (NDJSON history) or --kafka (the source topics), not both and not neither',
    );
  }
  const { from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY } = parsed.data;
  if (from >= to) {
    throw new UsageError(
      `weft backfill: --from (${String(flags['from'])}) must be before --to (${String(flags['to'])})`,
    );
  }
  const { batchMaxRecords, sinkMaxQueued } = parsed.data;
  if (sinkMaxQueued < batchMaxRecords) {
    throw new UsageError(
      `weft backfill: --sink-max-queued (${sinkMaxQueued}) must be at least --batch-max-records (${batchMaxRecords})`,
    );
  }
  return {
    template: parsed.data.template,
    inputs: input ?? [],
    kafka: kafka === undefined ? null : { brokers: kafka, topicPrefix: parsed.data.topicPrefix },
    db: parsed.data.db,
    from,
    to,
    logLevel: parsed.data.logLevel,
    sink: { batchMaxRecords, batchMaxDelayMs: 200, maxQueued: sinkMaxQueued },
  };
}
