import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../errors.js';

/** The repository root, from this file's place in src/demo or dist/demo. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** What `weft demo` was asked to do, validated once. */
export interface DemoOptions {
  /** Absolute data directory: the SQLite store, simulated inputs, secrets, logs. */
  dataDir: string;
  orders: number;
  seed: number;
  /** Start the web app (`--no-web` turns it off). */
  web: boolean;
  /** Preferred port of the web app; a free one is picked when it is taken. */
  port: number;
  /** Delete the demo's data first. */
  reset: boolean;
  /** Live traffic: new orders per minute and scenario; 0: none (the batch only). */
  rate: number;
  /** Stop by itself after this many seconds, as Ctrl-C would; null: run until stopped. */
  durationSeconds: number | null;
}

const FlagsSchema = z.object({
  data: z.string().min(1).optional(),
  orders: z.coerce.number().int().min(1).max(1_000_000),
  seed: z.coerce.number().int().min(0).max(0xffffffff),
  port: z.coerce.number().int().min(1).max(65_535),
  web: z.boolean().default(true),
  reset: z.boolean().default(false),
  rate: z.coerce.number().min(0).max(6_000).default(60),
  duration: z.coerce.number().positive().optional(),
});

/**
 * Parses the command's flags; a bad value is a usage error naming the flag.
 *
 * @example parseDemoOptions({ orders: '200', seed: '1', port: '3000' }).dataDir // '<repo>/.weft/demo'
 */
export function parseDemoOptions(flags: Record<string, unknown>): DemoOptions {
  const parsed = FlagsSchema.safeParse(flags);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const { data, duration, ...rest } = parsed.data;
  return {
    ...rest,
    durationSeconds: duration ?? null,
    dataDir: path.resolve(data ?? path.join(REPO_ROOT, '.weft', 'demo')),
  };
}
