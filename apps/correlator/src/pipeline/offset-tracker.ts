import { CorrelatorError } from '../errors.js';
import { parsePartitionKey, partitionKey } from '../kafka/index.js';
import type { OffsetCommit } from '../kafka/index.js';

/** Offsets were reported out of order or for an unknown input: a pipeline bug, not bad data. */
export class OffsetTrackingError extends CorrelatorError {
  override name = 'OffsetTrackingError' as const;
}

interface Pending {
  offset: bigint;
  done: boolean;
}

interface PartitionState {
  /** Tracked offsets in increasing order, oldest first; done ones are popped from the front. */
  pending: Pending[];
  head: number;
  byOffset: Map<bigint, Pending>;
  /** Next offset to read once everything before it is done. */
  safeNext: bigint | undefined;
  committedNext: bigint | undefined;
}

/**
 * Per partition, the offset up to which every input's effects are durable:
 * "committed up to". An input is `track`ed when read and `done` when its
 * effects are stored (or dropped as a dead letter that is stored). The
 * committable offset only moves past an input once it and every earlier one
 * are done, so a crash replays from the oldest unfinished input.
 *
 * @example
 * tracker.track('weft.src.pay_done', 0, '41');
 * tracker.done('weft.src.pay_done', 0, '41');
 * await consumer.commit(tracker.committable()); // [{ ..., nextOffset: '42' }]
 * tracker.committed(commits);
 */
export class OffsetTracker {
  private readonly partitions = new Map<string, PartitionState>();

  track(topic: string, partition: number, offset: string): void {
    const state = this.state(topic, partition);
    const value = BigInt(offset);
    const last =
      state.pending.at(-1)?.offset ??
      (state.safeNext === undefined ? undefined : state.safeNext - 1n);
    if (last !== undefined && value <= last) {
      throw new OffsetTrackingError(
        `${topic}[${partition}] offset ${offset} tracked after ${last}: offsets must be tracked in increasing order per partition (was the partition reassigned without forget()?)`,
      );
    }
    const entry = { offset: value, done: false };
    state.pending.push(entry);
    state.byOffset.set(value, entry);
  }

  done(topic: string, partition: number, offset: string): void {
    const state = this.partitions.get(partitionKey(topic, partition));
    const entry = state?.byOffset.get(BigInt(offset));
    if (!state || !entry) {
      throw new OffsetTrackingError(
        `${topic}[${partition}] offset ${offset} was marked done but never tracked`,
      );
    }
    entry.done = true;
    state.byOffset.delete(entry.offset);
    advance(state);
  }

  /** The commits that would move some partition forward; empty when nothing new is safe. */
  committable(): OffsetCommit[] {
    const commits: OffsetCommit[] = [];
    for (const [name, state] of this.partitions) {
      if (state.safeNext === undefined || state.safeNext === state.committedNext) continue;
      const { topic, partition } = parsePartitionKey(name);
      commits.push({ topic, partition, nextOffset: state.safeNext.toString() });
    }
    return commits;
  }

  /** Records that these commits succeeded. */
  committed(commits: readonly OffsetCommit[]): void {
    for (const commit of commits) {
      const state = this.partitions.get(partitionKey(commit.topic, commit.partition));
      if (state) state.committedNext = BigInt(commit.nextOffset);
    }
  }

  /** Inputs read but not durable yet, over all partitions. */
  get inFlight(): number {
    let count = 0;
    for (const state of this.partitions.values()) count += state.pending.length - state.head;
    return count;
  }

  /** Drops a partition's state after it was revoked: its new owner restarts from the committed offset. */
  forget(topic: string, partition: number): void {
    this.partitions.delete(partitionKey(topic, partition));
  }

  private state(topic: string, partition: number): PartitionState {
    const name = partitionKey(topic, partition);
    let state = this.partitions.get(name);
    if (!state) {
      state = {
        pending: [],
        head: 0,
        byOffset: new Map(),
        safeNext: undefined,
        committedNext: undefined,
      };
      this.partitions.set(name, state);
    }
    return state;
  }
}

function advance(state: PartitionState): void {
  while (state.head < state.pending.length && (state.pending[state.head] as Pending).done) {
    state.safeNext = (state.pending[state.head] as Pending).offset + 1n;
    state.head += 1;
  }
  if (state.head > 1_024 && state.head * 2 > state.pending.length) {
    state.pending.splice(0, state.head);
    state.head = 0;
  }
  if (state.head === state.pending.length) {
    state.pending = [];
    state.head = 0;
  }
}
