import { describe, expect, it } from 'vitest';
import { smallestCovering } from './dashboard.js';
import { parseDashboardQuery } from './dashboard-query.js';
import type { StoredRollup } from './rollup-spec.js';
import { defineRollupSpec } from './rollup-spec.js';

function rollup(
  dimensions: string[],
  fields: string[],
  backfillUntil: number | null = null,
): StoredRollup {
  const measures = fields.map((field) => ({ field, agg: 'p95' as const }));
  return { ...defineRollupSpec('t', { dimensions, measures }), backfillUntil };
}

const query = (dimensions: string[], fields: string[], filters = {}, grain = 'hour') =>
  parseDashboardQuery({
    templateId: 't',
    grain,
    from: 0,
    to: 86_400_000,
    dimensions,
    filters,
    measures: fields.map((field) => ({ field, agg: 'count' })),
  });

describe('smallestCovering', () => {
  const wide = rollup(['channel', 'region', '$verdict'], ['amount']);
  const narrow = rollup(['channel'], ['amount']);
  const narrowMoreFields = rollup(['channel'], ['amount', 'latency']);

  it('picks the covering rollup with the fewest dimensions, then the fewest measure fields', () => {
    expect(smallestCovering([wide, narrowMoreFields, narrow], query(['channel'], ['amount']))).toBe(
      narrow,
    );
    expect(smallestCovering([wide, narrowMoreFields], query(['channel'], ['amount']))).toBe(
      narrowMoreFields,
    );
  });

  it('needs the filtered dimensions and the measured fields covered', () => {
    expect(smallestCovering([wide, narrow], query(['channel'], ['amount'], { region: 'eu' }))).toBe(
      wide,
    );
    expect(smallestCovering([wide, narrow], query(['channel'], ['latency']))).toBeUndefined();
  });

  it('prefers a rollup with day rows for a day query, whatever its dimensions', () => {
    const hoursOnly = { ...narrow, grains: ['m', 'h'] as const };
    expect(hoursOnly.grains).not.toContain('d');
    const day = query(['channel'], ['amount'], {}, 'day');
    expect(smallestCovering([hoursOnly, wide], day)).toBe(wide);
    expect(smallestCovering([hoursOnly, wide], query(['channel'], ['amount']))).toBe(hoursOnly);
    expect(smallestCovering([hoursOnly], day)).toBe(hoursOnly);
  });

  it('breaks a tie by id, whatever order the rollups are listed in', () => {
    const byChannel = rollup(['channel', 'region'], ['amount']);
    const byVerdict = rollup(['channel', '$verdict'], ['amount']);
    const [first] = [byChannel, byVerdict].sort((a, b) => (a.rollupId < b.rollupId ? -1 : 1));
    const q = query(['channel'], ['amount']);
    expect(smallestCovering([byChannel, byVerdict, wide], q)).toBe(first);
    expect(smallestCovering([wide, byVerdict, byChannel], q)).toBe(first);
  });

  it('skips a rollup whose backfill is not done', () => {
    const filling = rollup(['channel'], ['amount'], 12345);
    expect(smallestCovering([wide, filling], query(['channel'], ['amount']))).toBe(wide);
  });
});
