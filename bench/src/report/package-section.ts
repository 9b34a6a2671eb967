import type { Metric, PublishedResult } from '../results.js';
import type { Chart } from './charts.js';
import { lineOption, writeChart } from './charts.js';
import { fmt, fmtParams, fmtRange, table } from './format.js';

/** The one numeric param that varies across the metrics of one name (the scale), if exactly one does. */
export function varyingParam(metrics: readonly Metric[]): string | undefined {
  const keys = new Set(metrics.flatMap((m) => Object.keys(m.params ?? {})));
  const varying = [...keys].filter((k) => {
    const values = metrics.map((m) => m.params?.[k]);
    return values.every((v) => typeof v === 'number' && v > 0) && new Set(values).size > 1;
  });
  return varying.length === 1 ? varying[0] : undefined;
}

function scaleCharts(result: PublishedResult, chartDir: string): Chart[] {
  const byName = new Map<string, Metric[]>();
  for (const m of result.metrics) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  const charts: Chart[] = [];
  for (const [name, metrics] of byName) {
    const x = metrics.length > 1 ? varyingParam(metrics) : undefined;
    if (x === undefined) continue;
    const points = metrics
      .map((m) => [m.params![x] as number, m.median] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    const file = `${result.benchmark}.${name}.svg`.replace(/[^a-z0-9._-]/gi, '_');
    const title = `${result.benchmark}: ${name} against ${x}`;
    charts.push(
      writeChart(chartDir, file, title, lineOption(title, x, metrics[0]!.unit, [{ name, points }])),
    );
  }
  return charts;
}

/** One package benchmark: provenance, every metric with median (min–max), and scale charts where a param varies. */
export function packageSection(
  result: PublishedResult,
  chartDir: string,
  chartLink: string,
): string {
  const rows = result.metrics.map((m) => [
    m.name,
    fmtParams(m.params),
    fmtRange(m),
    m.unit,
    String(m.runs.length),
  ]);
  const commit = result.machine.gitCommit?.slice(0, 10) ?? '?';
  const imported = (result as { imported?: { from: string; at: string } }).imported;
  const provenance =
    imported === undefined
      ? `Measured ${result.startedAt} at commit \`${commit}\`, load average ${fmt(result.machine.loadAverage1m)} when the harness started it`
      : `Measured ${result.startedAt} by the package's own run, outside the harness, and imported from \`${imported.from}\` at ${imported.at} (\`--import\`; the commit \`${commit}\` and the machine facts are those at import)`;
  const lines = [
    `### ${result.benchmark}`,
    '',
    `${provenance}; parameters: ${fmtParams(result.params)}.`,
    '',
    `    ${result.command}`,
    '',
    table(['metric', 'at', 'median (min–max)', 'unit', 'runs'], rows),
    '',
  ];
  for (const chart of scaleCharts(result, chartDir))
    lines.push(`![${chart.title}](${chartLink}/${chart.file})`, '');
  return lines.join('\n');
}
