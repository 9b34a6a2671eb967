// When each session becomes queryable in the store, and how much CPU the correlator process used.
import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';

/**
 * Polls MariaDB every `intervalMs` for the business keys produced and not yet
 * seen (an index seek on `business_key`), recording the wall time each first
 * appears: the moment its session is queryable, within one poll interval.
 */
export async function watchSessions(
  db: string,
  completedAt: ReadonlyMap<string, number>,
  intervalMs = 25,
) {
  const connection = await createConnection(db);
  const seen = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const pending = [...completedAt.keys()].filter((key) => !seen.has(key));
      for (let i = 0; i < pending.length; i += 1_000) {
        const [rows] = await connection.query<RowDataPacket[]>(
          'SELECT DISTINCT business_key FROM sessions WHERE business_key IN (?)',
          [pending.slice(i, i + 1_000)],
        );
        const at = Date.now();
        for (const row of rows)
          if (!seen.has(row.business_key as string)) seen.set(row.business_key as string, at);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    seen,
    async stop(): Promise<void> {
      running = false;
      await loop;
      await connection.end();
    },
  };
}

/** User + system CPU seconds of a live process (Linux /proc; clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state is field 3, utime 14 and stime 15 (1-based, whole line).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
