import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as echarts from 'echarts';
import type { Metric } from '../results.js';

/** A rendered chart: its file (relative to the charts folder) and what it shows. */
export interface Chart {
  readonly file: string;
  readonly title: string;
}

const WIDTH = 720;
const HEIGHT = 380;

/** Renders an ECharts option to an SVG string on the server (no DOM, no animation). */
export function renderSvg(option: echarts.EChartsCoreOption): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: WIDTH,
    height: HEIGHT,
  });
  chart.setOption({ animation: false, backgroundColor: '#ffffff', ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

export interface BarGroup {
  readonly category: string;
  readonly values: Readonly<Record<string, number>>;
}

/** Grouped bars: one group per category, one bar per series name. */
export function barOption(
  title: string,
  unit: string,
  groups: readonly BarGroup[],
): echarts.EChartsCoreOption {
  const names = [...new Set(groups.flatMap((g) => Object.keys(g.values)))];
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 80, right: 20, top: 50, bottom: 60 },
    xAxis: { type: 'category', data: groups.map((g) => g.category) },
    yAxis: { type: 'value', name: unit },
    series: names.map((name) => ({
      name,
      type: 'bar',
      label: {
        show: true,
        position: 'top',
        formatter: (p: { value: number }) => Math.round(p.value).toLocaleString('en-US'),
      },
      data: groups.map((g) => g.values[name] ?? null),
    })),
  };
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Lines over a logarithmic x axis (scale curves). */
export function lineOption(
  title: string,
  xName: string,
  unit: string,
  series: readonly LineSeries[],
): echarts.EChartsCoreOption {
  return {
    title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
    legend: { bottom: 0 },
    grid: { left: 80, right: 40, top: 50, bottom: 70 },
    xAxis: { type: 'log', name: xName, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', name: unit },
    series: series.map((s) => ({
      name: s.name,
      type: 'line',
      symbolSize: 8,
      data: s.points.map((p) => [...p]),
    })),
  };
}

/** Writes `<dir>/<file>` and returns the chart's entry. */
export function writeChart(
  dir: string,
  file: string,
  title: string,
  option: echarts.EChartsCoreOption,
): Chart {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), `${renderSvg(option)}\n`);
  return { file, title };
}

/** The medians of metrics of one name, as (x, median) points over a numeric param. */
export function curve(
  metrics: readonly Metric[],
  name: string,
  xParam: string,
  filter: (m: Metric) => boolean,
): [number, number][] {
  return metrics
    .filter((m) => m.name === name && filter(m) && typeof m.params?.[xParam] === 'number')
    .map((m) => [m.params![xParam] as number, m.median] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}
