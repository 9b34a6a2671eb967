import { percentile } from './stats';

/**
 * `users` simulated operators at once, each doing `flowsPerUser` search →
 * session flows back to back (no think time): the response time each user
 * sees, queueing included, and the throughput. A flow that fails (a refused
 * or reset connection on a saturated machine) is counted, not timed.
 */
export async function concurrentFlows(
  users: number,
  flowsPerUser: number,
  flow: (n: number) => Promise<number>,
): Promise<{ p50: number; p95: number; p99: number; flowsPerSecond: number; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let i = 0; i < flowsPerUser; i++) {
        try {
          times.push(await flow(user * flowsPerUser + i));
        } catch {
          failed += 1;
        }
      }
    }),
  );
  if (times.length === 0) throw new Error(`all ${failed} concurrent flows failed`);
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    flowsPerSecond: times.length / seconds,
    failed,
  };
}
