import type { FieldValue } from '@weft/templates';
import type { StoreDialect } from '../dialect/dialect.js';
import type { RollupSubject } from './contributions.js';
import { bucketOf, GRAIN_MS, subjectValue } from './contributions.js';
import type { DashboardPoint, DashboardQuery, DashboardResult } from './dashboard-query.js';
import {
  compareStrings,
  GRAINS,
  measureKey,
  parseDashboardQuery,
  storedGrainFor,
} from './dashboard-query.js';
import { fromSummaries, oneRowPerPoint } from './dashboard-summaries.js';
import type { MeasureState } from './measure-state.js';
import { addValue, aggregate, emptyMeasure, mergeMeasure } from './measure-state.js';
import { loadRollupSubjects } from './rollup-sources.js';
import type { DefinedRollup, StoredRollup } from './rollup-spec.js';
import { rollupsForTemplates } from './rollups.js';

interface Group {
  bucketStart: number;
  dimensions: FieldValue[];
  /** Sort key of the dimension values. */
  dimsJson: string;
  sessions: number;
  measures: Record<string, MeasureState>;
}

/**
 * Answers a dashboard query from the rollups when one covers its dimensions
 * and measures, else by aggregating the raw sessions (TiFlash-hinted on TiDB).
 */
export async function queryDashboard(
  dialect: StoreDialect,
  input: unknown,
): Promise<DashboardResult> {
  const query = parseDashboardQuery(input);
  const rollups =
    (await rollupsForTemplates(dialect.db, [query.templateId])).get(query.templateId) ?? [];
  const covering = smallestCovering(rollups, query);
  if (covering === undefined)
    return { source: 'raw', points: await fromRawSessions(dialect, query) };
  const points = oneRowPerPoint(query, covering)
    ? await fromSummaries(dialect, query, covering)
    : await fromRollups(dialect, query, covering);
  return { source: 'rollup', points };
}

/**
 * The covering rollup with the fewest rows to read: for a day query, one
 * with day rows (24 times fewer than hours); then fewest dimensions (each
 * one multiplies the rows per bucket), then fewest measure fields (smaller
 * rows), then by id so the choice is stable. Rollups still being
 * backfilled do not count.
 */
export function smallestCovering(
  rollups: readonly StoredRollup[],
  query: DashboardQuery,
): StoredRollup | undefined {
  return rollups
    .filter((rollup) => rollup.backfillUntil === null && covers(rollup, query))
    .sort(
      (a, b) =>
        GRAIN_MS[storedGrainFor(query.grain, b)] - GRAIN_MS[storedGrainFor(query.grain, a)] ||
        a.dimensions.length - b.dimensions.length ||
        a.measureFields.length - b.measureFields.length ||
        compareStrings(a.rollupId, b.rollupId),
    )[0];
}

function covers(rollup: DefinedRollup, query: DashboardQuery): boolean {
  const dims = new Set(rollup.dimensions);
  const fields = new Set(rollup.measureFields);
  return (
    query.dimensions.every((d) => dims.has(d)) &&
    Object.keys(query.filters).every((d) => dims.has(d)) &&
    query.measures.every((m) => fields.has(m.field))
  );
}

async function fromRollups(
  dialect: StoreDialect,
  query: DashboardQuery,
  rollup: DefinedRollup,
): Promise<DashboardPoint[]> {
  const rows = await dialect.db
    .selectFrom('rollups')
    .select(['bucket_start', 'dims_json', 'session_count', 'measures_json'])
    .where('rollup_id', '=', rollup.rollupId)
    .where('grain', '=', storedGrainFor(query.grain, rollup))
    .where('bucket_start', '>=', query.from)
    .where('bucket_start', '<', query.to)
    .execute();
  const groups = new Map<string, Group>();
  const filters = Object.entries(query.filters).map(
    ([name, value]) => [rollup.dimensions.indexOf(name), value] as const,
  );
  const projection = query.dimensions.map((d) => rollup.dimensions.indexOf(d));
  const grainMs = GRAINS[query.grain];
  const fields = measureFields(query);
  for (const row of rows) {
    const dims = JSON.parse(row.dims_json) as FieldValue[];
    if (!filters.every(([index, value]) => dims[index] === value)) continue;
    const projected = projection.map((i) => dims[i] ?? null);
    const group = groupFor(groups, bucketOf(Number(row.bucket_start), grainMs), projected);
    group.sessions += Number(row.session_count);
    // Counts only (verdict mix, drill-down): the sketches need not be parsed.
    if (fields.size === 0) continue;
    const measures = JSON.parse(row.measures_json) as Record<string, MeasureState>;
    for (const field of fields) {
      const state = measures[field];
      if (state === undefined) continue;
      const held = group.measures[field];
      // The parsed state is ours: adopt it, and copy only when a second row merges in.
      if (held === undefined) group.measures[field] = state;
      else mergeMeasure(held, state);
    }
  }
  return finish(groups, query);
}

async function fromRawSessions(
  dialect: StoreDialect,
  query: DashboardQuery,
): Promise<DashboardPoint[]> {
  const subjects = await loadRollupSubjects(dialect.db, query.templateId, query.from, query.to, {
    hint: dialect.analyticHint(['s']),
  });
  return aggregateSubjects(subjects, query);
}

/**
 * The dashboard answer computed directly from sessions: the ad-hoc path, and
 * the oracle the rollups are tested against.
 */
export function aggregateSubjects(
  subjects: readonly RollupSubject[],
  input: DashboardQuery,
): DashboardPoint[] {
  const query = parseDashboardQuery(input);
  const groups = new Map<string, Group>();
  for (const subject of subjects) {
    if (subject.start < query.from || subject.start >= query.to) continue;
    const matches = Object.entries(query.filters).every(
      ([name, value]) => subjectValue(subject, name) === value,
    );
    if (!matches) continue;
    const dims = query.dimensions.map((d) => subjectValue(subject, d));
    const group = groupFor(groups, bucketOf(subject.start, GRAINS[query.grain]), dims);
    group.sessions += 1;
    for (const field of measureFields(query)) {
      const value = subjectValue(subject, field);
      if (typeof value === 'number' && Number.isFinite(value)) {
        addValue((group.measures[field] ??= emptyMeasure()), value);
      }
    }
  }
  return finish(groups, query);
}

function groupFor(
  groups: Map<string, Group>,
  bucketStart: number,
  dimensions: FieldValue[],
): Group {
  const dimsJson = JSON.stringify(dimensions);
  const id = `${bucketStart}|${dimsJson}`;
  let group = groups.get(id);
  if (group === undefined) {
    group = { bucketStart, dimensions, dimsJson, sessions: 0, measures: {} };
    groups.set(id, group);
  }
  return group;
}

/** Orders points by bucket then dimension values, and evaluates each requested aggregation. */
function finish(groups: Map<string, Group>, query: DashboardQuery): DashboardPoint[] {
  return [...groups.values()]
    .sort((a, b) => a.bucketStart - b.bucketStart || compareStrings(a.dimsJson, b.dimsJson))
    .map((group) => ({
      bucketStart: group.bucketStart,
      dimensions: Object.fromEntries(
        query.dimensions.map((d, i) => [d, group.dimensions[i] ?? null]),
      ),
      sessions: group.sessions,
      measures: Object.fromEntries(
        query.measures.map((m) => [
          measureKey(m.agg, m.field),
          aggregate(group.measures[m.field], m.agg),
        ]),
      ),
    }));
}

/** Each measured field once, however many aggregations ask for it. */
function measureFields(query: DashboardQuery): Set<string> {
  return new Set(query.measures.map((m) => m.field));
}
