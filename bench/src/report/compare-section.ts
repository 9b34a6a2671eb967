import type { Metric, PublishedResult } from '../results.js';
import type { Chart } from './charts.js';
import { barOption, curve, lineOption, writeChart } from './charts.js';
import { fmt, fmtBytes, fmtRange, table } from './format.js';

interface Verification {
  orders: number;
  parallelism: number;
  records: number;
  sessions: number;
  dropped: number;
  checksum: string;
  input: string;
}

const ENGINES = ['weft', 'flink'] as const;
const LABEL = { weft: 'Weft', flink: 'Flink 1.20.5' } as const;

function pick(
  metrics: readonly Metric[],
  name: string,
  params: Record<string, unknown>,
): Metric | undefined {
  return metrics.find(
    (m) => m.name === name && Object.entries(params).every(([k, v]) => m.params?.[k] === v),
  );
}

function scalePoints(metrics: readonly Metric[]): number[] {
  return [
    ...new Set(
      metrics.map((m) => m.params?.records).filter((v): v is number => typeof v === 'number'),
    ),
  ].sort((a, b) => a - b);
}

function parallelisms(metrics: readonly Metric[]): number[] {
  return [
    ...new Set(
      metrics.map((m) => m.params?.parallelism).filter((v): v is number => typeof v === 'number'),
    ),
  ].sort();
}

function throughputTable(metrics: readonly Metric[], records: number): string {
  const rows = parallelisms(metrics).flatMap((parallelism) =>
    ENGINES.map((engine) => {
      const at = { engine, parallelism, records };
      const wall = pick(metrics, 'records_per_second', at);
      const cpu = pick(metrics, 'records_per_cpu_second', at);
      const rss = pick(metrics, 'max_rss_bytes', at);
      const net = pick(metrics, 'records_per_second_net', at);
      return [
        LABEL[engine],
        String(parallelism),
        wall ? fmtRange(wall) : '—',
        cpu ? fmtRange(cpu) : '—',
        net ? fmtRange(net) : '—',
        rss ? fmtBytes(rss.median) : '—',
        String(wall?.runs.length ?? 0),
      ];
    }),
  );
  return table(
    ['engine', 'P', 'records/s (wall)', 'records/CPU-s', 'records/s, job only', 'peak RSS', 'runs'],
    rows,
  );
}

function ratioTable(metrics: readonly Metric[], records: number): string {
  const rows = parallelisms(metrics).map((parallelism) => {
    const wall = pick(metrics, 'weft_to_flink_records_per_second', { parallelism, records });
    const cpu = pick(metrics, 'weft_to_flink_records_per_cpu_second', { parallelism, records });
    return [String(parallelism), wall ? fmtRange(wall) : '—', cpu ? fmtRange(cpu) : '—'];
  });
  return table(['P', 'Weft/Flink, records/s (wall)', 'Weft/Flink, records/CPU-s'], rows);
}

function charts(
  benchmark: string,
  metrics: readonly Metric[],
  chartDir: string,
  largest: number,
): Chart[] {
  const groups = (name: string) =>
    parallelisms(metrics).map((parallelism) => ({
      category: `parallelism ${String(parallelism)}`,
      values: Object.fromEntries(
        ENGINES.map((engine) => [
          LABEL[engine],
          pick(metrics, name, { engine, parallelism, records: largest })?.median ?? 0,
        ]),
      ),
    }));
  const out = [
    writeChart(
      chartDir,
      `${benchmark}.wall.svg`,
      'Records per second (wall, median)',
      barOption(
        `Weft vs Flink, ${fmt(largest)} records: records/s (wall)`,
        'records/s',
        groups('records_per_second'),
      ),
    ),
    writeChart(
      chartDir,
      `${benchmark}.cpu.svg`,
      'Records per CPU-second (median)',
      barOption(
        `Weft vs Flink, ${fmt(largest)} records: records per CPU-second`,
        'records/CPU-s',
        groups('records_per_cpu_second'),
      ),
    ),
  ];
  if (scalePoints(metrics).length < 2) return out;
  const series = parallelisms(metrics).flatMap((parallelism) =>
    ENGINES.map((engine) => ({
      name: `${LABEL[engine]} P${String(parallelism)}`,
      points: curve(
        metrics,
        'records_per_cpu_second',
        'records',
        (m) => m.params?.engine === engine && m.params.parallelism === parallelism,
      ),
    })),
  );
  out.push(
    writeChart(
      chartDir,
      `${benchmark}.scale.svg`,
      'Records per CPU-second against input size',
      lineOption('Throughput against input size', 'input records', 'records/CPU-s', series),
    ),
  );
  const memory = parallelisms(metrics).map((parallelism) => ({
    name: `Weft P${String(parallelism)}`,
    points: curve(
      metrics,
      'max_rss_bytes',
      'records',
      (m) => m.params?.engine === 'weft' && m.params.parallelism === parallelism,
    ).map(([x, y]) => [x, y / 2 ** 20] as [number, number]),
  }));
  out.push(
    writeChart(
      chartDir,
      `${benchmark}.memory.svg`,
      'Weft peak RSS against input size',
      lineOption('Weft peak resident memory against input size', 'input records', 'MiB', memory),
    ),
  );
  return out;
}

function verificationTable(result: PublishedResult): string {
  const rows = ((result as { verification?: Verification[] }).verification ?? []).map((v) => [
    fmt(v.records),
    String(v.parallelism),
    fmt(v.sessions),
    fmt(v.dropped),
    `\`${v.checksum.slice(0, 16)}…\``,
    `\`${v.input}\``,
  ]);
  return table(['records', 'P', 'sessions', 'dead letters', 'checksum (both)', 'input'], rows);
}

/** The Weft-vs-Flink section: per scale point a throughput and a ratio table, then charts. */
export function compareSection(
  result: PublishedResult,
  chartDir: string,
  chartLink: string,
): string {
  const metrics = result.metrics;
  const points = scalePoints(metrics);
  const largest = points[points.length - 1]!;
  const parts = [
    `### ${result.benchmark.endsWith('-scale') ? 'Scale run (`--full`)' : 'Quick run'}`,
    '',
    `Measured ${result.startedAt} at commit \`${result.machine.gitCommit?.slice(0, 10) ?? '?'}\`` +
      `${result.machine.gitDirty ? ' (with uncommitted changes in the checkout)' : ''}, load average ${fmt(result.machine.loadAverage1m)} at the start, with:`,
    '',
    `    ${result.command}`,
    '',
  ];
  for (const records of points) {
    parts.push(
      `#### ${fmt(records)} input records`,
      '',
      throughputTable(metrics, records),
      '',
      ratioTable(metrics, records),
      '',
    );
  }
  parts.push(
    'Both engines produced the same sessions in every run (count and checksum; no late record):',
    '',
    verificationTable(result),
    '',
  );
  for (const chart of charts(result.benchmark, metrics, chartDir, largest))
    parts.push(`![${chart.title}](${chartLink}/${chart.file})`, '');
  return parts.join('\n');
}
