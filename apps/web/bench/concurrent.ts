import { percentile } from './stats';

/**
 * `users` simulated operators at once, each doing `flowsPerUser` search →
 * session flows back to back (no think time): the response time each user
 * sees, queueing included, and the throughput.
 */
export async function concurrentFlows(
  users: number,
  flowsPerUser: number,
  flow: (n: number) => Promise<number>,
): Promise<{ p50: number; p95: number; p99: number; flowsPerSecond: number }> {
  const times: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      for (let i = 0; i < flowsPerUser; i++) times.push(await flow(user * flowsPerUser + i));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    flowsPerSecond: times.length / seconds,
  };
}
