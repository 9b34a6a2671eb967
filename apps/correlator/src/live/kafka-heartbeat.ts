import type { KafkaConsumer } from '../kafka/index.js';

/**
 * The `kafka` health of a live run while the broker is unreachable. The
 * client retries a lost broker by itself, silently; what shows the outage is
 * that the group coordinator stops acknowledging heartbeats. Once none came
 * for longer than the session timeout (plus the 5 s a paused consumer may
 * wait between fetches), the coordinator has dropped this member too.
 *
 * @example
 * const heartbeats = watchHeartbeats(consumer, { now: Date.now, sessionTimeoutMs: 30_000 });
 * heartbeats.problem(); // undefined, or what /healthz should say
 */
export function watchHeartbeats(
  consumer: KafkaConsumer,
  options: { now: () => number; sessionTimeoutMs: number },
): { problem(): string | undefined } {
  let last: number | undefined;
  consumer.onHeartbeat?.(() => (last = options.now()));
  const limitMs = options.sessionTimeoutMs + 5_000;
  return {
    problem() {
      if (last === undefined) return undefined;
      const silentMs = options.now() - last;
      return silentMs > limitMs
        ? `no heartbeat acknowledged by the Kafka group coordinator for ${Math.round(silentMs / 1_000)} s (limit ${limitMs / 1_000} s): the broker is unreachable or the group is rebalancing; consumption resumes by itself once it answers`
        : undefined;
    },
  };
}
