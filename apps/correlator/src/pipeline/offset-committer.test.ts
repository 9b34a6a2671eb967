import { describe, expect, it } from 'vitest';
import type { OffsetCommit } from '../kafka/index.js';
import { BatchingWriter } from './batching-writer.js';
import { startOffsetCommitter } from './offset-committer.js';
import { OffsetTracker } from './offset-tracker.js';
import type { SinkItem } from './sink.js';

const T = 'weft.src.pay_done';

function item(offset: number): SinkItem {
  return {
    kind: 'deadLetter',
    deadLetter: {
      templateId: null,
      source: 'pay_done',
      reason: 'invalid_json: x',
      raw: '{',
      origin: { topic: T, partition: 0, offset: String(offset) },
      at: 0,
    },
  };
}

describe('offsets are committed only after the sink acknowledged everything before them', () => {
  it('holds commits while the store is down and commits the durable prefix once it recovers', async () => {
    const commits: OffsetCommit[][] = [];
    const store = { up: false };
    const writer = new BatchingWriter({
      sink: {
        write: async () => {
          if (!store.up) throw new Error('store down');
        },
      },
      maxBatchItems: 2,
      maxDelayMs: 5,
      maxQueued: 100,
      onBackpressure: () => undefined,
      retry: { initialDelayMs: 2, maxDelayMs: 4 },
    });
    const tracker = new OffsetTracker();
    const committer = startOffsetCommitter({
      consumer: { commit: async (c) => void commits.push([...c]) },
      tracker,
      intervalMs: 3,
    });
    const acks = [0, 1, 2].map((offset) => {
      tracker.track(T, 0, String(offset));
      return writer.enqueue([item(offset)]).then(() => tracker.done(T, 0, String(offset)));
    });

    await new Promise((resolve) => setTimeout(resolve, 30));
    await committer.commitNow();
    expect(commits).toEqual([]);

    store.up = true;
    await Promise.all(acks);
    await committer.stop();
    expect(commits.at(-1)).toEqual([{ topic: T, partition: 0, nextOffset: '3' }]);
    expect(commits.flat().every((c) => Number(c.nextOffset) <= 3)).toBe(true);
  });

  it('retries a failed commit at the next tick without losing progress', async () => {
    const tracker = new OffsetTracker();
    tracker.track(T, 0, '0');
    tracker.done(T, 0, '0');
    const errors: unknown[] = [];
    let fail = true;
    const committed: OffsetCommit[][] = [];
    const committer = startOffsetCommitter({
      consumer: {
        commit: async (c) => {
          if (fail) throw new Error('REBALANCE_IN_PROGRESS');
          committed.push([...c]);
        },
      },
      tracker,
      intervalMs: 60_000,
      onError: (error) => errors.push(error),
    });
    await committer.commitNow();
    expect(errors).toHaveLength(1);
    fail = false;
    await committer.stop();
    expect(committed).toEqual([[{ topic: T, partition: 0, nextOffset: '1' }]]);
  });
});
