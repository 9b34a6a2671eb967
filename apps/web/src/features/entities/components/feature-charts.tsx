'use client';

import { useMemo } from 'react';
import { EChart } from '@/components/echart';
import type { FeatureChart } from '../lib/prepare-feature-charts';
import { featureChartOption } from '../lib/prepare-feature-charts';

/** The entity's features over time: one prepared line chart per feature (render only). */
export function FeatureCharts({ charts }: { charts: FeatureChart[] }) {
  return (
    <div className="grid-2" data-testid="feature-charts">
      {charts.map((chart) => (
        <FeaturePanel key={chart.feature} chart={chart} />
      ))}
    </div>
  );
}

function FeaturePanel({ chart }: { chart: FeatureChart }) {
  const option = useMemo(() => featureChartOption(chart), [chart]);
  return (
    <section className="panel" data-testid="feature-chart" data-feature={chart.feature}>
      <h3 style={{ marginTop: 0 }}>{chart.title}</h3>
      <p className="muted">
        <code>{chart.feature}</code> · {chart.unit} · latest{' '}
        <strong data-testid="feature-latest">{chart.latest ?? '—'}</strong> · {chart.observed}{' '}
        session(s) with a value
      </p>
      {chart.observed === 0 ? (
        <p className="muted">
          No session of this entity in the range carried this feature (sessions evaluated before the
          feature was declared do not).
        </p>
      ) : (
        <EChart
          option={option}
          height={200}
          label={`${chart.title}: ${chart.observed} values, latest ${chart.latest ?? 'none'} ${chart.unit}`}
        />
      )}
    </section>
  );
}
