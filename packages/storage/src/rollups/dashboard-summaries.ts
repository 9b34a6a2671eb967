import type { FieldValue } from '@weft/templates';
import { chunk } from '../chunks.js';
import type { StoreDialect } from '../dialect/dialect.js';
import type { DashboardPoint, DashboardQuery } from './dashboard-query.js';
import { compareStrings, GRAINS, measureKey, storedGrainFor } from './dashboard-query.js';
import { GRAIN_MS } from './contributions.js';
import type { MeasureState } from './measure-state.js';
import type { DefinedRollup } from './rollup-spec.js';
import type { MeasureSummary } from './rollup-summary.js';
import { aggregateSummary, summarize } from './rollup-summary.js';

const KEYS_PER_READ = 500;

/**
 * True when every point of the answer is exactly one stored rollup row: the
 * rollup stores the query's grain (minute, hour, and day since migration
 * 0010) and the query asks for all of its dimensions, in any order. Such a
 * dashboard needs no merging.
 */
export function oneRowPerPoint(query: DashboardQuery, rollup: DefinedRollup): boolean {
  return (
    GRAIN_MS[storedGrainFor(query.grain, rollup)] === GRAINS[query.grain] &&
    query.dimensions.length === rollup.dimensions.length &&
    rollup.dimensions.every((d) => query.dimensions.includes(d))
  );
}

/**
 * Answers a one-row-per-point dashboard from the rows' precomputed summaries
 * (migration 0003), without parsing a sketch; rows written before it carry no
 * summary and are summarized from their measures here.
 */
export async function fromSummaries(
  dialect: StoreDialect,
  query: DashboardQuery,
  rollup: DefinedRollup,
): Promise<DashboardPoint[]> {
  const rows = await dialect.db
    .selectFrom('rollups')
    .select(['rollup_key', 'bucket_start', 'dims_json', 'session_count', 'summary_json'])
    .where('rollup_id', '=', rollup.rollupId)
    .where('grain', '=', storedGrainFor(query.grain, rollup))
    .where('bucket_start', '>=', query.from)
    .where('bucket_start', '<', query.to)
    .execute();
  const older = await summariesOf(
    dialect,
    rows.filter((row) => row.summary_json === null).map((row) => row.rollup_key),
  );
  const filters = Object.entries(query.filters).map(
    ([name, value]) => [rollup.dimensions.indexOf(name), value] as const,
  );
  const projection = query.dimensions.map((d) => rollup.dimensions.indexOf(d));
  // Dimensions asked in the rollup's own order: the stored JSON is already the sort key.
  const identity = projection.every((index, i) => index === i);
  const points: { point: DashboardPoint; dimsJson: string }[] = [];
  for (const row of rows) {
    const dims = JSON.parse(row.dims_json) as FieldValue[];
    if (!filters.every(([index, value]) => dims[index] === value)) continue;
    const projected = projection.map((i) => dims[i] ?? null);
    const summary =
      row.summary_json === null
        ? (older.get(row.rollup_key) ?? {})
        : (JSON.parse(row.summary_json) as Record<string, MeasureSummary>);
    points.push({
      dimsJson: identity ? row.dims_json : JSON.stringify(projected),
      point: {
        bucketStart: Number(row.bucket_start),
        dimensions: Object.fromEntries(query.dimensions.map((d, i) => [d, projected[i] ?? null])),
        sessions: Number(row.session_count),
        measures: Object.fromEntries(
          query.measures.map((m) => [
            measureKey(m.agg, m.field),
            aggregateSummary(summary[m.field], m.agg),
          ]),
        ),
      },
    });
  }
  points.sort(
    (a, b) => a.point.bucketStart - b.point.bucketStart || compareStrings(a.dimsJson, b.dimsJson),
  );
  return points.map((p) => p.point);
}

async function summariesOf(
  dialect: StoreDialect,
  keys: readonly string[],
): Promise<Map<string, Record<string, MeasureSummary>>> {
  const summaries = new Map<string, Record<string, MeasureSummary>>();
  for (const slice of chunk(keys, KEYS_PER_READ)) {
    const rows = await dialect.db
      .selectFrom('rollups')
      .select(['rollup_key', 'measures_json'])
      .where('rollup_key', 'in', slice)
      .execute();
    for (const row of rows) {
      const measures = JSON.parse(row.measures_json) as Record<string, MeasureState>;
      summaries.set(row.rollup_key, summarize(measures));
    }
  }
  return summaries;
}
