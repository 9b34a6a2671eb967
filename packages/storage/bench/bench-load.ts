import { openStore } from '../src/index.js';
import type { LoadOrder } from './bench-data.js';
import { benchSession } from './bench-data.js';
import { ownCpuSeconds, processCpuSeconds } from './bench-stats.js';

export interface LoadPlan {
  url: string;
  /** Sessions [from, to) of the `total` the data set is generated for. */
  from: number;
  to: number;
  total: number;
  /** Stop taking new batches at this time (epoch ms), whatever the count. */
  deadline: number;
  /** The local database server's process, whose CPU the load also costs (MySQL backend). */
  serverPid: number | undefined;
  writers: number;
  batchSize: number;
  end: number;
  days: number;
  order: LoadOrder;
}

export interface LoadResult {
  /** Sessions loaded: `to - from`, or fewer when the deadline came first. */
  loaded: number;
  /** Sessions per wall second over each tenth of the load. */
  segmentRates: number[];
  overallRate: number;
  wallSeconds: number;
  clientCpuSeconds: number;
  /**
   * CPU seconds of the local database server during the load (MySQL
   * backend, when /proc shows it). It serves every client of that server,
   * so on a shared machine this overstates the load's own cost.
   */
  serverCpuSeconds: number | undefined;
}

/**
 * Loads generated sessions [from, to) through the public upsert API with
 * `writers` concurrent stores, in batches of `batchSize`, until done or the
 * deadline, and reports the sustained rate per tenth of the range (the runs
 * of the upsert metric).
 */
export async function loadSessions(plan: LoadPlan): Promise<LoadResult> {
  const segment = Math.max(1, Math.ceil((plan.to - plan.from) / 10));
  const segmentRates: number[] = [];
  let next = plan.from;
  let done = 0;
  let segmentStart = performance.now();
  let segmentDone = 0;
  const began = performance.now();
  const cpu = process.cpuUsage();
  // The embedded backend runs in this process: its CPU is the client's.
  const server = () =>
    plan.serverPid === undefined ? undefined : processCpuSeconds(plan.serverPid);
  const serverBefore = server();
  await Promise.all(
    Array.from({ length: plan.writers }, async () => {
      const store = await openStore(plan.url, { poolSize: 2 });
      try {
        while (next < plan.to && Date.now() < plan.deadline) {
          const from = next;
          next = Math.min(plan.to, next + plan.batchSize);
          const batch = [];
          for (let i = from; i < next; i += 1)
            batch.push(benchSession(i, plan.end, plan.days, plan.total, plan.order));
          await store.sessions.upsert(batch);
          done += batch.length;
          if (done - segmentDone >= segment) {
            const now = performance.now();
            segmentRates.push((done - segmentDone) / ((now - segmentStart) / 1000));
            console.error(
              `  loaded ${plan.from + done}/${plan.total} (${Math.round(segmentRates.at(-1) ?? 0)} sessions/s)`,
            );
            segmentStart = now;
            segmentDone = done;
          }
        }
      } finally {
        await store.close();
      }
    }),
  );
  if (done > segmentDone)
    segmentRates.push((done - segmentDone) / ((performance.now() - segmentStart) / 1000));
  const wallSeconds = (performance.now() - began) / 1000;
  const serverAfter = server();
  return {
    loaded: done,
    segmentRates,
    overallRate: done / wallSeconds,
    wallSeconds,
    clientCpuSeconds: ownCpuSeconds(cpu),
    serverCpuSeconds:
      serverBefore === undefined || serverAfter === undefined
        ? undefined
        : serverAfter - serverBefore,
  };
}
