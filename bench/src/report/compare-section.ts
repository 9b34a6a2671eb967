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
  /** `weft+flink` when both ran (absent in results written before single-engine runs existed). */
  engines?: string;
  /** Weft's runner (`stream` or `batch`); absent in results measured before the streaming runner, which used `batch`. */
  weftRunner?: string | null;
  startedAt?: string;
  gitCommit?: string | null;
  cpuModel?: string;
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
      const heap = pick(metrics, 'max_heap_used_bytes', at);
      const net = pick(metrics, 'records_per_second_net', at);
      if (wall === undefined) return null;
      return [
        LABEL[engine],
        String(parallelism),
        wall ? fmtRange(wall) : '—',
        cpu ? fmtRange(cpu) : '—',
        net ? fmtRange(net) : '—',
        rss ? fmtBytes(rss.median) : '—',
        heap ? fmtBytes(heap.median) : '—',
        String(wall.runs.length),
      ];
    }),
  );
  return table(
    [
      'engine',
      'P',
      'records/s (wall)',
      'records/CPU-s',
      'records/s, job only',
      'peak RSS',
      'peak heap',
      'runs',
    ],
    rows.filter((r): r is string[] => r !== null),
  );
}

function ratioTable(metrics: readonly Metric[], records: number): string {
  const rows = parallelisms(metrics).flatMap((parallelism) => {
    const wall = pick(metrics, 'weft_to_flink_records_per_second', { parallelism, records });
    const cpu = pick(metrics, 'weft_to_flink_records_per_cpu_second', { parallelism, records });
    return wall && cpu ? [[String(parallelism), fmtRange(wall), fmtRange(cpu)]] : [];
  });
  if (rows.length === 0) return '';
  return table(['P', 'Weft/Flink, records/s (wall)', 'Weft/Flink, records/CPU-s'], rows);
}

/** One row per scale point at parallelism 1: the engine curve from 100k to 10M records. */
function scaleTable(metrics: readonly Metric[]): string {
  const cell = (name: string, engine: string, records: number, bytes = false) => {
    const m = pick(metrics, name, { engine, parallelism: 1, records });
    return m === undefined ? '—' : bytes ? fmtBytes(m.median) : fmt(m.median);
  };
  const rows = scalePoints(metrics).map((records) => [
    fmt(records),
    cell('records_per_cpu_second', 'weft', records),
    cell('records_per_second', 'weft', records),
    cell('max_rss_bytes', 'weft', records, true),
    cell('max_heap_used_bytes', 'weft', records, true),
    cell('records_per_cpu_second', 'flink', records),
    cell('records_per_second', 'flink', records),
    cell('max_rss_bytes', 'flink', records, true),
  ]);
  return table(
    [
      'records',
      'Weft records/CPU-s',
      'Weft records/s',
      'Weft peak RSS',
      'Weft peak heap',
      'Flink records/CPU-s',
      'Flink records/s',
      'Flink peak RSS',
    ],
    rows,
  );
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
  const mib = (engine: string, name: string) =>
    curve(
      metrics,
      name,
      'records',
      (m) => m.params?.engine === engine && m.params.parallelism === 1,
    ).map(([x, y]) => [x, y / 2 ** 20] as [number, number]);
  const memory = [
    { name: 'Weft peak RSS', points: mib('weft', 'max_rss_bytes') },
    { name: 'Weft peak heap', points: mib('weft', 'max_heap_used_bytes') },
    { name: 'Flink peak RSS (JVM)', points: mib('flink', 'max_rss_bytes') },
  ].filter((m) => m.points.length > 0);
  out.push(
    writeChart(
      chartDir,
      `${benchmark}.memory.svg`,
      'Peak memory against input size (parallelism 1)',
      lineOption('Peak memory against input size, parallelism 1', 'input records', 'MiB', memory),
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
    `${(v.engines ?? 'weft+flink') === 'weft+flink' ? 'Weft = Flink' : `${v.engines ?? ''} only`}${(v.engines ?? 'weft').includes('weft') ? ` (Weft ${v.weftRunner ?? 'batch'} runner)` : ''}`,
    `${(v.startedAt ?? result.startedAt).slice(0, 16).replace('T', ' ')} \`${(v.gitCommit ?? result.machine.gitCommit ?? '?').slice(0, 10)}\`, ${v.cpuModel ?? result.machine.cpuModel}`,
    `\`${v.input}\``,
  ]);
  return table(
    [
      'records',
      'P',
      'sessions',
      'dead letters',
      'checksum',
      'checked',
      'measured (UTC, commit, CPU)',
      'input',
    ],
    rows,
  );
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
  if (points.length > 1)
    parts.push('#### Scale curve, parallelism 1 (medians)', '', scaleTable(metrics), '');
  for (const records of points) {
    parts.push(`#### ${fmt(records)} input records`, '', throughputTable(metrics, records), '');
    const ratios = ratioTable(metrics, records);
    if (ratios !== '') parts.push(ratios, '');
  }
  parts.push(
    'Every run was checked (records read, sessions, dead letters, checksum; no late record): against the other engine where both ran ("Weft = Flink"), otherwise against the first run of the same engine. Points measured in an earlier run of the harness (`--keep-other-points`) say when and at which commit:',
    '',
    verificationTable(result),
    '',
  );
  for (const chart of charts(result.benchmark, metrics, chartDir, largest))
    parts.push(`![${chart.title}](${chartLink}/${chart.file})`, '');
  return parts.join('\n');
}
