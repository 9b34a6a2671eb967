/** How hard a dialect retries a transaction that lost a lock conflict. */
export interface RetryPolicy {
  attempts: number;
  maxBackoffMs: number;
}

/**
 * Retries `attempt` while `isTransient` says the failure was a lock conflict
 * (deadlock victim, busy database), backing off with jitter so that the
 * competing writers do not collide again in lockstep.
 */
export async function retryTransient<T>(
  attempt: () => Promise<T>,
  isTransient: (error: unknown) => boolean,
  policy: RetryPolicy,
): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= policy.attempts || !isTransient(error)) throw error;
      const backoff = Math.min(policy.maxBackoffMs, 2 ** tries) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  }
}
