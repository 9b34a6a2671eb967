import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TopicPartitions } from './kafka-client.js';
import { PauseState } from './pause-state.js';

/** kafkajs's own subscription state: the model PauseState must agree with. */
interface SubscriptionState {
  pause(partitions: TopicPartitions[]): void;
  resume(partitions: TopicPartitions[]): void;
  isPaused(topic: string, partition: number): boolean;
}
const require = createRequire(import.meta.url);
const KafkajsSubscriptionState =
  require('kafkajs/src/consumer/subscriptionState.js') as new () => SubscriptionState;

const TOPICS = ['a', 'b'];
const PARTITIONS = [0, 1, 2, 3];

const callArb = fc.record({
  kind: fc.constantFrom('pause' as const, 'resume' as const),
  topic: fc.constantFrom(...TOPICS),
  partitions: fc.option(fc.uniqueArray(fc.constantFrom(...PARTITIONS), { minLength: 1 }), {
    nil: undefined,
  }),
});

function pausedSet(state: { isPaused(topic: string, partition: number): boolean }): string[] {
  return TOPICS.flatMap((t) =>
    PARTITIONS.filter((p) => state.isPaused(t, p)).map((p) => `${t}/${p}`),
  );
}

describe('PauseState', () => {
  it('agrees with kafkajs on any sequence of calls, and its replay rebuilds the same state on a fresh consumer', () => {
    fc.assert(
      fc.property(fc.array(callArb, { maxLength: 30 }), (calls) => {
        const ours = new PauseState();
        const theirs = new KafkajsSubscriptionState();
        for (const { kind, topic, partitions } of calls) {
          const arg = [partitions === undefined ? { topic } : { topic, partitions }];
          ours[kind](arg);
          theirs[kind](arg);
        }
        expect(pausedSet(ours)).toEqual(pausedSet(theirs));
        const rebuilt = new KafkajsSubscriptionState();
        for (const call of ours.calls()) {
          rebuilt[call.kind]([
            {
              topic: call.partitions.topic,
              partitions: call.partitions.partitions ? [...call.partitions.partitions] : undefined,
            },
          ]);
        }
        expect(pausedSet(rebuilt)).toEqual(pausedSet(theirs));
        // Bounded: at most two calls per topic.
        expect(ours.calls().length).toBeLessThanOrEqual(2 * TOPICS.length);
      }),
      { numRuns: Number(process.env.WEFT_PROPERTY_RUNS ?? 200) },
    );
  });

  it('a whole-topic resume leaves nothing to replay', () => {
    const state = new PauseState();
    state.pause([{ topic: 'a' }, { topic: 'b', partitions: [1] }]);
    expect(state.calls()).toEqual([
      { kind: 'pause', partitions: { topic: 'a' } },
      { kind: 'pause', partitions: { topic: 'b', partitions: [1] } },
    ]);
    state.resume([{ topic: 'a' }, { topic: 'b' }]);
    expect(state.calls()).toEqual([]);
  });
});
