import { describe, expect, it } from 'vitest';
import type { ConsumedMessage } from './kafka-client.js';
import { PartitionLog } from './in-process-partition.js';

const message = (offset: number, timestamp: number): ConsumedMessage => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  timestamp,
  key: null,
  value: Buffer.from(`m${offset}`),
  headers: {},
});

function logOf(timestamps: readonly number[]): PartitionLog {
  const log = new PartitionLog();
  for (const timestamp of timestamps) log.append((offset) => message(offset, timestamp));
  return log;
}

describe('PartitionLog', () => {
  it('keeps offsets when retention drops from the start, and reads from any offset held', () => {
    const log = logOf([1, 2, 3, 4, 5]);
    log.dropBefore(3);
    expect([log.start, log.end]).toEqual([2, 5]);
    expect(log.read(3, 10).map((m) => m.offset)).toEqual(['3', '4']);
    log.append((offset) => message(offset, 6));
    expect(log.read(2, 2).map((m) => m.offset)).toEqual(['2', '3']);
    expect(log.end).toBe(6);
  });

  it('stops dropping at the first message that is new enough', () => {
    const log = logOf([1, 9, 2, 3]);
    log.dropBefore(5);
    expect(log.start).toBe(1);
  });

  it('finds the first offset at or after a time among the messages held', () => {
    const log = logOf([10, 20, 30]);
    expect(log.offsetAt(15)).toBe(1);
    expect(log.offsetAt(31)).toBe(3);
    log.dropBefore(20);
    expect(log.offsetAt(0)).toBe(1);
  });

  it('compacts what it dropped without changing what it reads', () => {
    const log = logOf(Array.from({ length: 5_000 }, (_, i) => i));
    log.dropBefore(4_000);
    expect([log.start, log.end]).toEqual([4_000, 5_000]);
    expect(log.read(4_998, 5).map((m) => m.offset)).toEqual(['4998', '4999']);
    expect(log.offsetAt(4_500)).toBe(4_500);
  });
});
