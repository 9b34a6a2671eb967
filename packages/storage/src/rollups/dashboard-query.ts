import { z } from 'zod';
import { FieldValueSchema } from '@weft/templates';
import type { FieldValue } from '@weft/templates';
import { StorageValidationError } from '../errors.js';
import { AggregationSchema, FieldNameSchema } from './rollup-spec.js';
import type { Aggregation, DefinedRollup } from './rollup-spec.js';
import type { StoredGrain } from './contributions.js';

export const GRAINS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Grain = keyof typeof GRAINS;

/** The longest range one dashboard query may span. */
export const MAX_RANGE_MS = 366 * GRAINS.day;

/**
 * A macro query: time buckets × up to three dimensions × measures, with
 * optional equality filters on dimensions.
 *
 * @example { templateId: 'order', grain: 'hour', from, to, dimensions: ['channel'],
 *            measures: [{ field: 'amount', agg: 'p95' }] }
 */
export const DashboardQuerySchema = z
  .object({
    templateId: z.string().min(1).max(128),
    grain: z.enum(['minute', 'hour', 'day']),
    from: z.number().int(),
    to: z.number().int(),
    dimensions: z.array(FieldNameSchema).max(3).default([]),
    measures: z.array(z.object({ field: FieldNameSchema, agg: AggregationSchema })).default([]),
    filters: z.record(FieldNameSchema, FieldValueSchema).default({}),
  })
  .refine((q) => q.to > q.from, { message: '`to` must be after `from`' })
  .refine((q) => q.to - q.from <= MAX_RANGE_MS, { message: 'the range may span at most 366 days' })
  .refine((q) => q.from % GRAINS[q.grain] === 0 && q.to % GRAINS[q.grain] === 0, {
    message: '`from` and `to` must be aligned to the grain (UTC minute/hour/day boundaries)',
  });
export type DashboardQuery = z.infer<typeof DashboardQuerySchema>;

/** One bucket × dimension combination of a dashboard answer. */
export interface DashboardPoint {
  bucketStart: number;
  dimensions: Record<string, FieldValue>;
  /** Sessions in the bucket. */
  sessions: number;
  /** Keyed `agg(field)`, e.g. `p95(amount)`; null when the bucket has no value of the field. */
  measures: Record<string, number | null>;
}

export interface DashboardResult {
  /** `rollup` when served from incremental rollups, `raw` when aggregated over the sessions. */
  source: 'rollup' | 'raw';
  points: DashboardPoint[];
}

export function parseDashboardQuery(input: unknown): DashboardQuery {
  const parsed = DashboardQuerySchema.safeParse(input);
  if (!parsed.success) {
    throw new StorageValidationError(
      `Invalid dashboard query: ${parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`)
        .join('; ')}.`,
    );
  }
  return parsed.data;
}

/**
 * The stored rows a query at `grain` reads from a rollup: its own grain,
 * except days from a rollup without day rows (defined before migration
 * 0010), which are merged from hours.
 */
export function storedGrainFor(grain: Grain, rollup: DefinedRollup): StoredGrain {
  if (grain === 'minute') return 'm';
  if (grain === 'hour') return 'h';
  return rollup.grains.includes('d') ? 'd' : 'h';
}

export function measureKey(agg: Aggregation, field: string): string {
  return `${agg}(${field})`;
}

/** Code-point order of two strings (the order dashboard points are sorted in). */
export function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
