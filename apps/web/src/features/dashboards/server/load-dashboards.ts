import type { Store } from '@weft/storage';
import { parseStoredTemplate } from '@/server/stored-template';
import { drilldownDimensions, latencyFields } from '../lib/field-names';
import {
  prepareComparison,
  prepareDrilldown,
  preparePercentiles,
  prepareVolume,
} from '../lib/prepare-charts';
import { previousWindow, rangeFor } from '../lib/time-range';
import type { TimeWindow } from '../lib/time-range';
import type { DashboardParams } from './dashboard-params';
import { ensureDashboardRollupsWithin } from './ensure-rollups';
import type { DashboardData } from '../lib/dashboard-data';

export type { DashboardData };

/**
 * Every chart of the dashboards page for one template and range, prepared.
 * `now` is passed in so a render and its CSV agree on the window.
 */
export async function loadDashboards(
  store: Store,
  params: DashboardParams,
  now: number,
): Promise<DashboardData> {
  const templates = await store.templates.list();
  const templateIds = templates.map((t) => t.templateId);
  const chosen = templates.find((t) => t.templateId === params.template) ?? templates[0];
  const window = rangeFor(params.range, now);
  const dashboards = parseStoredTemplate(chosen?.definition)?.dashboards ?? [];
  const dimensions = drilldownDimensions(dashboards);
  const dimension =
    params.dim && dimensions.includes(params.dim) ? params.dim : (dimensions[0] ?? null);
  const filter =
    params.dim && params.value !== undefined ? { dim: params.dim, value: params.value } : null;
  const latencyField = latencyFields(dashboards)[0] ?? '$duration';
  const empty = emptyData(templateIds, window, dimensions, dimension, filter, latencyField, now);
  if (!chosen) return empty;
  await ensureDashboardRollupsWithin(store, chosen.templateId, chosen.definition, 2_000);

  const base = {
    templateId: chosen.templateId,
    grain: window.grain,
    filters: filter ? { [filter.dim]: filter.value } : {},
  };
  const before = previousWindow(window);
  const percentileMeasures = (['p50', 'p95', 'p99'] as const).map((agg) => ({
    field: latencyField,
    agg,
  }));
  const [volume, previous, drill, latency] = await Promise.all([
    store.rollups.query({ ...base, from: window.from, to: window.to, dimensions: ['$verdict'] }),
    store.rollups.query({ ...base, from: before.from, to: before.to, dimensions: ['$verdict'] }),
    dimension
      ? store.rollups.query({
          ...base,
          from: window.from,
          to: window.to,
          dimensions: [dimension, '$verdict'],
        })
      : Promise.resolve({ source: 'raw' as const, points: [] }),
    store.rollups.query({
      ...base,
      from: window.from,
      to: window.to,
      measures: percentileMeasures,
    }),
  ]);
  return {
    ...empty,
    templateId: chosen.templateId,
    volume: prepareVolume(volume.points, window, '$verdict'),
    drilldown: dimension ? prepareDrilldown(drill.points, dimension) : [],
    percentiles: preparePercentiles(
      latency.points,
      window,
      percentileMeasures.map((m) => `${m.agg}(${m.field})`),
    ),
    comparison: prepareComparison(volume.points, previous.points, window, before),
    source: volume.source,
  };
}

function emptyData(
  templateIds: string[],
  window: TimeWindow,
  dimensions: string[],
  dimension: string | null,
  filter: DashboardData['filter'],
  latencyField: string,
  now: number,
): DashboardData {
  return {
    templateIds,
    templateId: null,
    window,
    dimensions,
    dimension,
    filter,
    volume: prepareVolume([], window, '$verdict'),
    drilldown: [],
    percentiles: preparePercentiles([], window, []),
    latencyField,
    comparison: prepareComparison([], [], window, previousWindow(window)),
    source: 'raw',
    dataAt: now,
  };
}
