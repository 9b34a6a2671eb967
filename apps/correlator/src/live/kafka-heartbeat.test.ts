import { describe, expect, it } from 'vitest';
import type { KafkaConsumer } from '../kafka/index.js';
import { watchHeartbeats } from './kafka-heartbeat.js';

function consumerWithHeartbeats(): { consumer: KafkaConsumer; beat: () => void } {
  let listener: (() => void) | undefined;
  const consumer = { onHeartbeat: (l: () => void) => (listener = l) } as unknown as KafkaConsumer;
  return { consumer, beat: () => listener?.() };
}

describe('watchHeartbeats', () => {
  it('reports a problem once no heartbeat came for the session timeout plus 5 s, and clears on the next', () => {
    let now = 1_000_000;
    const { consumer, beat } = consumerWithHeartbeats();
    const heartbeats = watchHeartbeats(consumer, { now: () => now, sessionTimeoutMs: 6_000 });
    expect(heartbeats.problem()).toBeUndefined(); // not joined yet: nothing to say
    beat();
    now += 11_000;
    expect(heartbeats.problem()).toBeUndefined();
    now += 1_000;
    expect(heartbeats.problem()).toMatch(
      /no heartbeat acknowledged by the Kafka group coordinator for 12 s \(limit 11 s\)/,
    );
    beat();
    expect(heartbeats.problem()).toBeUndefined();
  });

  it('says nothing for a client without heartbeat events', () => {
    const heartbeats = watchHeartbeats({} as KafkaConsumer, { now: () => 0, sessionTimeoutMs: 1 });
    expect(heartbeats.problem()).toBeUndefined();
  });
});
