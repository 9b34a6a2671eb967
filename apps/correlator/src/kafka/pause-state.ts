import type { TopicPartitions } from './kafka-client.js';

interface TopicState {
  /** The whole topic is paused, except the `resumed` partitions. */
  pauseAll: boolean;
  paused: Set<number>;
  resumed: Set<number>;
}

/** A pause or resume call that, replayed on a consumer with nothing paused, restores the state. */
export interface PauseCall {
  readonly kind: 'pause' | 'resume';
  readonly partitions: TopicPartitions;
}

/**
 * What the pipeline has paused, with the semantics of kafkajs's own
 * subscription state (a whole-topic call resets the topic; pausing some
 * partitions ends a whole-topic pause; resuming some partitions of a paused
 * topic excepts them). kafkajs forgets its paused partitions when it rebuilds
 * its consumer group after a crash (a broker restart), and refuses pause and
 * resume calls until then; replaying `calls()` on the rebuilt group restores
 * backpressure exactly. Bounded by the number of partitions.
 *
 * @example
 * state.pause([{ topic: 'weft.src.pay_done' }]);
 * for (const call of state.calls()) consumer[call.kind]([call.partitions]);
 */
export class PauseState {
  private readonly topics = new Map<string, TopicState>();

  pause(partitions: readonly TopicPartitions[]): void {
    for (const { topic, partitions: numbers } of partitions) {
      const state = this.stateOf(topic);
      if (numbers === undefined) {
        state.paused.clear();
        state.resumed.clear();
        state.pauseAll = true;
      } else {
        for (const n of numbers) {
          state.paused.add(n);
          state.resumed.delete(n);
        }
        state.pauseAll = false;
      }
    }
  }

  resume(partitions: readonly TopicPartitions[]): void {
    for (const { topic, partitions: numbers } of partitions) {
      if (numbers === undefined) {
        this.topics.delete(topic);
        continue;
      }
      const state = this.stateOf(topic);
      for (const n of numbers) {
        state.paused.delete(n);
        if (state.pauseAll) state.resumed.add(n);
      }
    }
  }

  /** Whether fetching from this partition is paused. */
  isPaused(topic: string, partition: number): boolean {
    const state = this.topics.get(topic);
    if (state === undefined) return false;
    return (state.pauseAll && !state.resumed.has(partition)) || state.paused.has(partition);
  }

  /** The calls that rebuild this state on a consumer with nothing paused. */
  calls(): PauseCall[] {
    const out: PauseCall[] = [];
    for (const [topic, state] of this.topics) {
      if (state.pauseAll) {
        out.push({ kind: 'pause', partitions: { topic } });
        if (state.resumed.size > 0)
          out.push({ kind: 'resume', partitions: { topic, partitions: [...state.resumed] } });
      } else if (state.paused.size > 0) {
        out.push({ kind: 'pause', partitions: { topic, partitions: [...state.paused] } });
      }
    }
    return out;
  }

  private stateOf(topic: string): TopicState {
    let state = this.topics.get(topic);
    if (state === undefined) {
      state = { pauseAll: false, paused: new Set(), resumed: new Set() };
      this.topics.set(topic, state);
    }
    return state;
  }
}
