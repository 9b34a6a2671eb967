import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Connection } from 'mysql2/promise';
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

/** The pid of the MySQL server when it runs on this machine and its pid file is readable. */
export async function localServerPid(admin: Connection): Promise<number | undefined> {
  const [rows] = await admin.query('SELECT @@pid_file AS f');
  const file = (rows as { f: string | null }[])[0]?.f;
  if (file === null || file === undefined) return undefined;
  try {
    const pid = Number((await readFile(file, 'utf8')).trim());
    return Number.isSafeInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}
