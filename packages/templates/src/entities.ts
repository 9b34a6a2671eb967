import { z } from 'zod';
import { DurationSchema, IdentifierSchema } from './schema-primitives.js';

/**
 * The `entities` section: which session fields name an entity (an account,
 * a device, a card fingerprint, an IP), the behaviour features kept per
 * entity over sliding windows, and the identity graph that links entities
 * seen in the same session. Shape only; `check-entities.ts` checks the
 * references. The engine keeps the features (`@weft/engine` profiles).
 */

/** Aggregations over a window of the entity's sessions. */
export const WindowedAggregationSchema = z.enum([
  'count',
  'sum',
  'min',
  'max',
  'distinct',
  'last_seen',
]);
/** Aggregations over the identity graph (as of everything linked so far). */
export const GraphAggregationSchema = z.enum(['component_size', 'component_count', 'neighbours']);
export const EntityAggregationSchema = z.enum([
  ...WindowedAggregationSchema.options,
  ...GraphAggregationSchema.options,
]);
export type EntityAggregation = z.infer<typeof EntityAggregationSchema>;

/**
 * A window read backwards from the session's time: `"1h"` is `{ "last": "1h" }`.
 * `offset` moves it into the past (`{ "last": "24h", "offset": "7d" }` is the
 * same 24 hours a week ago); `retain` keeps history longer than the window
 * reads (`{ "last": "30d", "retain": "90d" }`), so the window can be widened
 * later without losing data. Parsed to ms with `offset` defaulting to 0.
 */
export const FeatureWindowSchema = z
  .union(
    [
      DurationSchema,
      z.strictObject({
        last: DurationSchema.describe('How far back the window reads, e.g. "1h", "30d"'),
        offset: DurationSchema.default(0).describe(
          'How far before the session time the window ends (default 0), e.g. "24h", "7d"',
        ),
        retain: DurationSchema.optional().describe(
          'Keep this much history (at least last + offset), e.g. "90d" read through a "30d" window',
        ),
      }),
    ],
    {
      error:
        'expected a duration like "1h", "24h", "30d" or {"last": "30d", "offset": "7d", "retain": "90d"}',
    },
  )
  .transform((window) => (typeof window === 'number' ? { last: window, offset: 0 } : window));
export type FeatureWindow = z.infer<typeof FeatureWindowSchema>;

/**
 * One feature of an entity kind, readable by derived fields and conclusions
 * as `entity.<kind>.<name>` (a number, absent when it has no value) as of
 * the session's observation time, and stored with the session as the field
 * `entity.<kind>.<name>`.
 */
export const EntityFeatureSchema = z.strictObject({
  name: IdentifierSchema.describe(
    'Read in CEL as entity.<kind>.<name> (e.g. entity.account.payments_1h > 10) and stored as the session field "entity.<kind>.<name>"',
  ),
  agg: EntityAggregationSchema.describe(
    'count, sum, min, max, distinct, last_seen (windowed); component_size, component_count, neighbours (identity graph)',
  ),
  field: IdentifierSchema.optional().describe(
    'The baseline or enrichment field read: a number for sum/min/max, any scalar for distinct',
  ),
  of: IdentifierSchema.optional().describe(
    'component_count and neighbours: the entity kind counted, e.g. "account"',
  ),
  window: FeatureWindowSchema.optional().describe(
    'Windowed aggregations only: "1h", "24h", "7d", "30d", "90d" or {last, offset, retain}',
  ),
  description: z.string().optional(),
});
export type EntityFeature = z.infer<typeof EntityFeatureSchema>;

/** An entity kind: the session field holding its key and its features. */
export const EntityKindSchema = z.strictObject({
  id: IdentifierSchema.describe('The entity kind, e.g. "account", "device", "card"'),
  label: z.string().optional(),
  field: IdentifierSchema.describe(
    'The baseline or enrichment field holding the entity key, e.g. "account_id"',
  ),
  at: IdentifierSchema.optional().describe(
    'The baseline node whose first record time is the observation time; sessions without it are not observed (default: the first baseline record)',
  ),
  features: z.array(EntityFeatureSchema).default([]),
});
export type EntityKind = z.infer<typeof EntityKindSchema>;

export const EntitiesSchema = z.strictObject({
  queryLag: DurationSchema.default(3_600_000).describe(
    'How far behind the newest session time features are still answered exactly (default 1h)',
  ),
  links: z
    .strictObject({
      retention: DurationSchema.describe(
        'Links not seen again for this long are forgotten, e.g. "90d"',
      ),
    })
    .optional()
    .describe('Link the entities of each session into an identity graph'),
  kinds: z.array(EntityKindSchema).min(1, { error: 'declare at least one entity kind' }),
});
export type Entities = z.infer<typeof EntitiesSchema>;

/** The longest history a template may ask to keep per entity. */
export const MAX_ENTITY_HISTORY_MS = 366 * 86_400_000;

/** True for aggregations read over a window (the others read the identity graph). */
export function isWindowed(
  agg: EntityAggregation,
): agg is z.infer<typeof WindowedAggregationSchema> {
  return (WindowedAggregationSchema.options as readonly string[]).includes(agg);
}
