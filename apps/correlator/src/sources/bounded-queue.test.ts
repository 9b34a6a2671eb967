import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

function queueWithLog(high = 4, low = 1) {
  const events: string[] = [];
  const queue = new BoundedQueue<number>({
    highWaterMark: high,
    lowWaterMark: low,
    onFull: () => events.push('full'),
    onDrained: () => events.push('drained'),
  });
  return { queue, events };
}

describe('BoundedQueue', () => {
  it('delivers every item in order and ends when closed', async () => {
    const { queue } = queueWithLog();
    const seen: number[] = [];
    const consuming = (async () => {
      for await (const item of queue) seen.push(item);
    })();
    for (let i = 0; i < 10; i += 1) queue.push(i);
    queue.close();
    await consuming;
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('signals full once at the high water mark and drained once at the low one, never dropping', async () => {
    const { queue, events } = queueWithLog(4, 1);
    for (let i = 0; i < 6; i += 1) queue.push(i);
    expect(events).toEqual(['full']);
    expect(queue.size).toBe(6);
    const iterator = queue[Symbol.asyncIterator]();
    const taken: number[] = [];
    for (let i = 0; i < 4; i += 1) taken.push((await iterator.next()).value as number);
    expect(events).toEqual(['full']);
    taken.push((await iterator.next()).value as number);
    expect(events).toEqual(['full', 'drained']);
    expect(taken).toEqual([0, 1, 2, 3, 4]);
    expect(queue.size).toBe(1);
  });

  it('wakes a waiting consumer on push', async () => {
    const { queue } = queueWithLog();
    const iterator = queue[Symbol.asyncIterator]();
    const next = iterator.next();
    queue.push(7);
    expect(await next).toEqual({ value: 7, done: false });
  });

  it('delivers queued items before a failure, then throws it', async () => {
    const { queue } = queueWithLog();
    queue.push(1);
    queue.fail(new Error('broker gone'));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('broker gone');
    expect(seen).toEqual([1]);
  });

  it('rejects pushes after close and inconsistent water marks', () => {
    const { queue } = queueWithLog();
    queue.close();
    expect(() => queue.push(1)).toThrow(/closed/);
    expect(() => queueWithLog(2, 2)).toThrow(/low water mark 2/);
  });

  it('keeps order across internal compaction of a long queue', async () => {
    const { queue } = queueWithLog(100_000, 10);
    const n = 5_000;
    const seen: number[] = [];
    const iterator = queue[Symbol.asyncIterator]();
    for (let i = 0; i < n; i += 1) {
      queue.push(i);
      if (i % 3 === 0) seen.push((await iterator.next()).value as number);
    }
    queue.close();
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) seen.push(r.value);
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});

describe('BoundedQueue.abort', () => {
  it('ends iteration at once, dropping queued items and ignoring later pushes', async () => {
    const queue = new BoundedQueue<number>({
      highWaterMark: 10,
      lowWaterMark: 5,
      onFull: () => undefined,
      onDrained: () => undefined,
    });
    queue.push(1);
    queue.push(2);
    const iterator = queue[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(1);
    queue.abort();
    queue.push(3);
    expect((await iterator.next()).done).toBe(true);
    expect(queue.size).toBe(0);
  });
});
