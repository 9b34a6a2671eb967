import type { EChartsOption } from 'echarts';
import type { FieldValue } from '@weft/templates';
import type { EntityFeatureView, EntityKindView } from './entity-kinds';

/**
 * Features over time: the value each feature of an entity had at each of its
 * sessions (the values the verdict used, stored on the session as
 * `entity.<kind>.<feature>` fields) → one line chart per feature. Assumes
 * observations of one entity; they may come in any order and may miss
 * features (a session evaluated before the feature existed): those points
 * are gaps, not zeros.
 */
export interface FeatureObservation {
  /** When the session was observed (its event time), epoch ms. */
  time: number;
  sessionId: string;
  /** Feature name → the value the session carried (its field `entity.<kind>.<feature>`). */
  values: Readonly<Record<string, FieldValue>>;
}

export interface FeatureChart {
  feature: string;
  title: string;
  unit: string;
  /** `[time, value]`, oldest first; `value` null where the session did not carry the feature. */
  points: [number, number | null][];
  /** The value at the newest observation that has one, or null. */
  latest: number | null;
  /** How many observations carry a value. */
  observed: number;
}

const HOUR_MS = 3_600_000;

/** The plotted number: `last_seen` times become hours before the session, other values numbers or null. */
function plotted(
  feature: EntityFeatureView,
  time: number,
  value: FieldValue | undefined,
): number | null {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(number)) return null;
  if (feature.agg === 'last_seen') return Math.round(((time - number) / HOUR_MS) * 100) / 100;
  return number;
}

/** One chart per declared feature of `kind`, in declaration order. */
export function prepareFeatureCharts(
  kind: EntityKindView,
  observations: readonly FeatureObservation[],
): FeatureChart[] {
  const ordered = [...observations].sort(
    (a, b) => a.time - b.time || a.sessionId.localeCompare(b.sessionId),
  );
  return kind.features.map((feature) => {
    const points = ordered.map((o): [number, number | null] => [
      o.time,
      plotted(feature, o.time, o.values[feature.name]),
    ]);
    const valued = points.filter((p) => p[1] !== null);
    return {
      feature: feature.name,
      title: feature.title,
      unit: feature.unit,
      points,
      latest: valued.at(-1)?.[1] ?? null,
      observed: valued.length,
    };
  });
}

/** The ECharts option of one feature chart: a time axis, the unit on the value axis, gaps kept. */
export function featureChartOption(chart: FeatureChart): EChartsOption {
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 32, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: chart.unit, nameTextStyle: { align: 'left' }, scale: true },
    series: [
      {
        type: 'line',
        name: chart.feature,
        data: chart.points,
        showSymbol: chart.points.length <= 60,
        connectNulls: false,
      },
    ],
  };
}
