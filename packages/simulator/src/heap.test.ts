import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrivalQueue } from './heap.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

describe('ArrivalQueue', () => {
  it('pops in (arrival, seq) order, like a stable sort', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (arrivals) => {
        const queue = new ArrivalQueue<{ arrival: number; seq: number }>();
        const items = arrivals.map((arrival, seq) => ({ arrival, seq }));
        items.forEach((item) => queue.push(item));
        const popped: { arrival: number; seq: number }[] = [];
        for (let item = queue.pop(); item !== undefined; item = queue.pop()) popped.push(item);
        const expected = [...items].sort((a, b) => a.arrival - b.arrival || a.seq - b.seq);
        expect(popped).toEqual(expected);
      }),
      { numRuns: runs },
    );
  });

  it('interleaves pushes and pops correctly', () => {
    const queue = new ArrivalQueue<{ arrival: number; seq: number }>();
    queue.push({ arrival: 5, seq: 0 });
    queue.push({ arrival: 1, seq: 1 });
    expect(queue.pop()).toEqual({ arrival: 1, seq: 1 });
    queue.push({ arrival: 3, seq: 2 });
    expect(queue.peek()).toEqual({ arrival: 3, seq: 2 });
    expect(queue.size).toBe(2);
  });
});
