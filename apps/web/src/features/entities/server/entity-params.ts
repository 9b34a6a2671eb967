import { z } from 'zod';
import { addressIssues, singleValues } from '@/server/query-params';
import type { AddressCheck, QueryInput } from '@/server/query-params';

/** How far back the features-over-time charts read. */
export const HISTORY_RANGES = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
} as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/**
 * The entity page's address: `/entities/<kind>/<key>?template=<id>` with
 * optional `range` (features over time), `depth` (linked-entity hops) and
 * `cursor` (the sessions' next page). Route segments arrive URL-encoded.
 */
export const EntityParamsSchema = z.object({
  kind: z
    .string()
    .regex(
      /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
      'an entity kind id of the template, e.g. device or account',
    ),
  key: z.string().min(1, 'the entity key is empty').max(500, 'at most 500 characters'),
  template: z
    .string({ error: 'add ?template=<template id>: the template that declares this entity kind' })
    .min(1, 'add ?template=<template id>: the template that declares this entity kind')
    .max(128, 'at most 128 characters'),
  range: z
    .enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]], {
      error: `one of ${Object.keys(HISTORY_RANGES).join(', ')}`,
    })
    .default('30d'),
  depth: z.coerce
    .number({ error: 'a number of hops from 1 to 3' })
    .int('a number of hops from 1 to 3')
    .min(1, 'a number of hops from 1 to 3')
    .max(3, 'a number of hops from 1 to 3')
    .default(2),
  cursor: z.string().max(1000, 'at most 1000 characters').optional(),
});
export type EntityParams = z.infer<typeof EntityParamsSchema>;

/**
 * The page's route segments and query string → validated params, or the
 * issues naming each bad param (a repeated one too). The Proxy runs it on
 * the raw address before the page (and answers 400), the page again on what
 * Next hands it.
 *
 * @example parseEntityParams({ kind: 'device', key: 'D7' }, {}) // { ok: false, issues: [{ field: 'template', … }] }
 */
export function parseEntityParams(
  route: { kind: string; key: string },
  query: QueryInput,
): AddressCheck<EntityParams> {
  const single = singleValues(query);
  if (!single.ok) return single;
  const decoded = { kind: decodeSegment(route.kind), key: decodeSegment(route.key) };
  const parsed = EntityParamsSchema.safeParse({ ...single.value, ...decoded });
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, issues: addressIssues(parsed.error) };
}

/** A URL-decoded segment; a malformed escape (`%E0%A4%A`) stays as typed (the Proxy answers 400 for it first). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
