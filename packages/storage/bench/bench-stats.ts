import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/** One metric of the weft.bench/1 result contract. */
export interface BenchMetric {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number[];
  params?: Record<string, unknown>;
}

/** The nearest-rank q-quantile of `samples` (NaN when empty). */
export function percentile(samples: readonly number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** A metric over several runs: their median, min and max. */
export function metric(
  name: string,
  unit: string,
  runs: readonly number[],
  params?: Record<string, unknown>,
): BenchMetric {
  const rounded = runs.map(round);
  return {
    name,
    unit,
    median: round(percentile(runs, 0.5)),
    min: round(Math.min(...runs)),
    max: round(Math.max(...runs)),
    runs: rounded,
    ...(params === undefined ? {} : { params }),
  };
}

/** Writes the weft.bench/1 document the repository's bench harness reads. */
export function writeBenchJson(
  file: string,
  document: {
    benchmark: string;
    command: string;
    startedAt: string;
    params: Record<string, unknown>;
    metrics: BenchMetric[];
  },
): void {
  writeFileSync(file, `${JSON.stringify({ schema: 'weft.bench/1', ...document }, null, 2)}\n`);
}

/** CPU seconds (user + system) used so far by the first process named `name`, or undefined. */
export function processCpuSeconds(name: string): number | undefined {
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/u.test(pid)) continue;
      let comm: string;
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm !== name) continue;
      // Fields after the parenthesised command: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** This process's CPU seconds (user + system) since `since`. */
export function ownCpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}
