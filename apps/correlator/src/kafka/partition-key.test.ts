import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePartitionKey, partitionKey } from './partition-key.js';

describe('partitionKey', () => {
  it('parses back to the topic and partition it was made of', () => {
    const topic = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/u);
    fc.assert(
      fc.property(topic, fc.nat(10_000), (t, p) => {
        expect(parsePartitionKey(partitionKey(t, p))).toEqual({ topic: t, partition: p });
      }),
    );
  });

  it('keeps partitions of topics that differ only by a trailing digit apart', () => {
    expect(partitionKey('orders1', 2)).not.toBe(partitionKey('orders', 12));
  });
});
