import { createHash } from 'node:crypto';
import { z } from 'zod';
import { StorageValidationError } from '../errors.js';
import type { StoredGrain } from './contributions.js';
import { STORED_GRAINS } from './contributions.js';

/** Aggregations a dashboard may ask of a measure field. */
export const AggregationSchema = z.enum(['count', 'sum', 'avg', 'min', 'max', 'p50', 'p95', 'p99']);
export type Aggregation = z.infer<typeof AggregationSchema>;

/**
 * A dimension or measure name: a session field, or one of the session's own
 * attributes `$verdict`, `$severity`, `$status`, `$fireReason`,
 * `$templateVersion` (dimensions) and `$duration` (measure, end - start).
 */
export const FieldNameSchema = z
  .string()
  .min(1)
  .max(191)
  .regex(/^[^\p{Cc}\p{Cs}]+$/u, 'field names contain no control characters or lone surrogates');

/**
 * What to roll up for one template, until the template's dashboard section
 * says it: up to three dimensions and the measure fields. Every aggregation
 * of a rolled-up field can be answered (the state keeps n, sum, min, max and a
 * quantile sketch), so `agg` documents intent only.
 *
 * @example { dimensions: ['channel', '$verdict'], measures: [{ field: 'amount', agg: 'p95' }] }
 */
export const RollupSpecSchema = z.object({
  dimensions: z.array(FieldNameSchema).max(3),
  measures: z.array(z.object({ field: FieldNameSchema, agg: AggregationSchema })),
});
export type RollupSpec = z.infer<typeof RollupSpecSchema>;

/** A validated spec, with its id and the distinct measure fields it keeps state for. */
export interface DefinedRollup {
  rollupId: string;
  templateId: string;
  dimensions: string[];
  measureFields: string[];
  spec: RollupSpec;
  /** The grains its rows are stored at: m, h and d, or m and h for a rollup defined before migration 0010. */
  grains: readonly StoredGrain[];
}

/** A rollup as stored: its definition and how far its backfill has come. */
export interface StoredRollup extends DefinedRollup {
  /** Sessions starting before this are folded in; null once the backfill is done. */
  backfillUntil: number | null;
}

/** True when the rollup holds the contribution of a session starting at `start`. */
export function foldsIn(rollup: StoredRollup, start: number): boolean {
  return rollup.backfillUntil === null || start < rollup.backfillUntil;
}

/** The same spec always gets the same id, so defining it twice is a no-op. */
export function defineRollupSpec(templateId: string, spec: unknown): DefinedRollup {
  const parsed = RollupSpecSchema.safeParse(spec);
  if (!parsed.success) {
    throw new StorageValidationError(
      `Invalid rollup spec for template "${templateId}": ${parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ')}. Give at most 3 dimensions and measures as { field, agg }.`,
    );
  }
  const measureFields = [...new Set(parsed.data.measures.map((m) => m.field))].sort();
  const dimensions = parsed.data.dimensions;
  const fingerprint = createHash('sha1')
    .update(JSON.stringify({ dimensions, measureFields }))
    .digest('hex')
    .slice(0, 16);
  return {
    rollupId: `${templateId}:${fingerprint}`,
    templateId,
    dimensions,
    measureFields,
    spec: parsed.data,
    grains: STORED_GRAINS,
  };
}

/** The stored grains of a `rollup_specs.grains` value (`'mhd'`, `'mh'`). */
export function parseGrains(grains: string): StoredGrain[] {
  return STORED_GRAINS.filter((grain) => grains.includes(grain));
}
