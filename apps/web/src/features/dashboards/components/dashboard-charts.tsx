'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useLiveRefresh } from '../hooks/use-live-refresh';
import type { DashboardData } from '../lib/dashboard-data';
import { fieldTitle } from '../lib/field-names';
import { formatAge } from '../lib/live-refresh';
import { ChartPanel } from './chart-panel';

const VERDICT_COLORS: Record<string, string> = { ok: '#2f855a', '(none)': '#a0aec0' };
const PALETTE = ['#b42318', '#d9480f', '#b7791f', '#2b6cb0', '#6b46c1', '#0f766e', '#9d174d'];
const LIVE_REFRESH_MS = 30_000;

/** Renders the prepared dashboard data; drill-down and range changes are links (shareable URLs). */
export function DashboardCharts({
  data,
  hrefFor,
}: {
  data: DashboardData;
  hrefFor: Record<string, string>;
}) {
  const [live, setLive] = useState(true);
  const now = useLiveRefresh(live, data.dataAt, LIVE_REFRESH_MS);

  const noData =
    data.volume.total === 0
      ? 'No sessions in this range. Pick a longer range, another template, or check that the correlator is writing to this store.'
      : null;
  let paletteIndex = 0;
  const volumeSeries = data.volume.series.map((s) => ({
    name: s.name,
    type: 'bar' as const,
    stack: 'volume',
    data: s.values,
    itemStyle: { color: VERDICT_COLORS[s.name] ?? PALETTE[paletteIndex++ % PALETTE.length] },
  }));
  const dim = data.dimension ? fieldTitle(data.dimension) : 'dimension';

  return (
    <>
      <div className="row" style={{ marginBottom: '0.5rem' }}>
        <label>
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Live
          (refresh every 30 s while this tab is visible)
        </label>
        <span className="muted" data-testid="data-age">
          updated {formatAge(Math.max(0, now - data.dataAt))}
        </span>
        <span className="muted">
          served from {data.source === 'rollup' ? 'incremental rollups' : 'raw sessions'}
        </span>
      </div>
      <div className="grid-2">
        <ChartPanel
          id="volume"
          title="Session volume and verdict mix"
          subtitle={`${data.volume.total} sessions · ${data.window.grain} buckets`}
          empty={noData}
          option={{
            // Canvas-text tooltips: series names are data (verdicts, dimension values), never HTML.
            tooltip: { trigger: 'axis', renderMode: 'richText' },
            legend: { type: 'scroll', bottom: 0 },
            grid: { left: 50, right: 20, top: 20, bottom: 60 },
            xAxis: { type: 'category', data: data.volume.labels },
            yAxis: { type: 'value', name: data.volume.unit },
            series: volumeSeries,
          }}
          csv={{
            header: ['bucket', ...data.volume.series.map((s) => s.name)],
            rows: data.volume.labels.map((label, i) => [
              label,
              ...data.volume.series.map((s) => s.values[i] ?? 0),
            ]),
          }}
        />
        <ChartPanel
          id="comparison"
          title="Anomaly rate vs previous period"
          subtitle={`${data.comparison.currentRate}% now vs ${data.comparison.previousRate}% before (${data.comparison.change >= 0 ? '+' : ''}${data.comparison.change} points)`}
          empty={noData}
          option={{
            tooltip: { trigger: 'axis', renderMode: 'richText' },
            legend: { bottom: 0 },
            grid: { left: 50, right: 20, top: 20, bottom: 60 },
            xAxis: { type: 'category', data: data.comparison.labels },
            yAxis: { type: 'value', name: '%', max: 100 },
            series: [
              {
                name: 'this period',
                type: 'line',
                data: data.comparison.current,
                itemStyle: { color: '#b42318' },
              },
              {
                name: 'previous period',
                type: 'line',
                data: data.comparison.previous,
                lineStyle: { type: 'dashed' },
                itemStyle: { color: '#5b6676' },
              },
            ],
          }}
          csv={{
            header: ['bucket', 'this_period_pct', 'previous_period_pct'],
            rows: data.comparison.labels.map((l, i) => [
              l,
              data.comparison.current[i] ?? null,
              data.comparison.previous[i] ?? null,
            ]),
          }}
        />
        <ChartPanel
          id="percentiles"
          title={`Step latency percentiles: ${fieldTitle(data.latencyField)}`}
          subtitle={`p50 / p95 / p99 per bucket, in ${data.percentiles.unit}; gaps are buckets without data`}
          empty={noData}
          option={{
            tooltip: { trigger: 'axis', renderMode: 'richText' },
            legend: { bottom: 0 },
            grid: { left: 60, right: 20, top: 20, bottom: 60 },
            xAxis: { type: 'category', data: data.percentiles.labels },
            yAxis: { type: 'value', name: data.percentiles.unit },
            series: data.percentiles.series.map((s) => ({
              name: s.name.replace(/\(.*\)/, ''),
              type: 'line' as const,
              data: s.values,
              connectNulls: false,
            })),
          }}
          csv={{
            header: [
              'bucket',
              ...data.percentiles.series.map((s) => `${s.name}_${data.percentiles.unit}`),
            ],
            rows: data.percentiles.labels.map((l, i) => [
              l,
              ...data.percentiles.series.map((s) => s.values[i] ?? null),
            ]),
          }}
        />
        <section className="panel" data-testid="drilldown">
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <h2 style={{ margin: 0 }}>Drill down by {dim}</h2>
            <div className="row" role="group" aria-label="Drill-down dimension">
              {data.dimensions.map((d) => (
                <Link
                  key={d}
                  href={hrefFor[`dim:${d}`] ?? '#'}
                  aria-current={d === data.dimension ? 'true' : undefined}
                  style={d === data.dimension ? { fontWeight: 700 } : undefined}
                >
                  {fieldTitle(d)}
                </Link>
              ))}
            </div>
          </div>
          {data.drilldown.length === 0 ? (
            <p className="notice">
              {data.dimensions.length === 0
                ? 'This template declares no dashboard dimensions: add some in the template wizard.'
                : 'No sessions to break down in this range.'}
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>{dim}</th>
                  <th>Sessions</th>
                  <th>Anomalies</th>
                  <th>Anomaly rate</th>
                </tr>
              </thead>
              <tbody>
                {data.drilldown.map((row) => (
                  <tr key={row.value}>
                    <td>
                      <Link href={hrefFor[`value:${row.value}`] ?? '#'}>{row.value}</Link>
                    </td>
                    <td>{row.sessions}</td>
                    <td>{row.anomalies}</td>
                    <td>
                      <span
                        style={{
                          display: 'inline-block',
                          width: `${Math.max(2, row.anomalyRate)}px`,
                          height: 8,
                          background: '#b42318',
                          marginRight: 6,
                        }}
                      />
                      {row.anomalyRate}%
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
