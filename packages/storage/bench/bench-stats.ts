import { readFileSync } from 'node:fs';
import { percentile as sortedPercentile } from '../../../bench/src/contract.js';

/** The nearest-rank q-quantile of unsorted `samples` (NaN when empty). */
export function percentile(samples: readonly number[], q: number): number {
  return sortedPercentile(
    [...samples].sort((a, b) => a - b),
    q,
  );
}

/**
 * CPU seconds (user + system) used so far by process `pid`, or undefined
 * when /proc does not show it (the server runs elsewhere).
 */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** This process's CPU seconds (user + system) since `since`. */
export function ownCpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}
