import type { Metric, PublishedResult } from '../results.js';
import { fmt, fmtRange, table } from './format.js';

function find(metrics: readonly Metric[], name: string, at: Record<string, unknown>) {
  const m = metrics.find(
    (x) => x.name === name && Object.entries(at).every(([k, v]) => x.params?.[k] === v),
  );
  return m === undefined ? '—' : fmtRange(m);
}

/**
 * End to end (Kafka → live correlator → MariaDB), pivoted from the
 * correlator's weft.bench/1 metrics: one row per offered load. Assumes its
 * metric names and params: `mode: "paced"` with `rate`, `mode: "backlog"`.
 */
export function e2eSection(result: PublishedResult): string {
  const m = result.metrics;
  const rates = [
    ...new Set(
      m
        .filter((x) => x.params?.mode === 'paced' && typeof x.params.rate === 'number')
        .map((x) => x.params!.rate as number),
    ),
  ].sort((a, b) => a - b);
  const rows = rates.map((rate) => {
    const at = { mode: 'paced', rate };
    // The correlator's `--rates max`: paced at a fraction of the backlog rate, said in `of`.
    const of = m.find((x) => x.params?.mode === 'paced' && x.params.rate === rate)?.params?.of;
    return [
      `${fmt(rate)} records/s, paced${typeof of === 'string' ? ` (${of})` : ''}`,
      find(m, 'records_per_second', at),
      find(m, 'records_per_cpu_second', at),
      find(m, 'latency_p50', at),
      find(m, 'latency_p99', at),
      find(m, 'sessions_missing', at),
    ];
  });
  const pacedAtMax = m.some((x) => x.params?.mode === 'paced' && typeof x.params.of === 'string');
  const latencyAtMax = pacedAtMax ? '— (see the paced max row)' : '— (not measured at max)';
  const backlog = m.find((x) => x.params?.mode === 'backlog');
  if (backlog !== undefined) {
    const at = { mode: 'backlog' };
    const records = backlog.params?.records;
    rows.push([
      `max: a backlog of ${typeof records === 'number' ? fmt(records) : '?'} records`,
      find(m, 'records_per_second', at),
      find(m, 'records_per_cpu_second', at),
      latencyAtMax,
      latencyAtMax,
      '—',
    ]);
  }
  return [
    '## End to end: Kafka → correlator → MariaDB',
    '',
    `From \`${result.benchmark}\` (measured ${result.startedAt}, commit \`${result.machine.gitCommit?.slice(0, 10) ?? '?'}\`, load average ${fmt(result.machine.loadAverage1m)}): the built \`weft correlate --kafka\` consuming simulated orders from Kafka and writing sessions to MariaDB. Latency is from the produce of an order's last record to its session being queryable in MariaDB; records/CPU-s counts the correlator process's CPU only. Details and every metric: the package section below.`,
    '',
    table(
      [
        'offered load',
        'records/s (wall)',
        'records/CPU-s (correlator)',
        'p50 ms',
        'p99 ms',
        'sessions missing',
      ],
      rows,
    ),
  ].join('\n');
}
