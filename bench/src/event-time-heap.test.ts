import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventTimeHeap } from './event-time-heap.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

describe('EventTimeHeap', () => {
  it('pops in (event time, rank, line number) order, as a stable sort of the sources in rank order', () => {
    const item = fc.record({
      ts: fc.integer({ min: 0, max: 20 }),
      rank: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 200 }),
        fc.integer({ min: 0, max: 25 }),
        (xs, cut) => {
          const items = xs.map((x, seq) => ({ ...x, seq }));
          const heap = new EventTimeHeap<(typeof items)[number]>();
          for (const i of items) heap.push(i);
          const popped: typeof items = [];
          heap.popUpTo(cut, (i) => popped.push(i));
          const expected = [...items]
            .sort((a, b) => a.rank - b.rank || a.seq - b.seq)
            .sort((a, b) => a.ts - b.ts)
            .filter((i) => i.ts <= cut);
          expect(popped).toEqual(expected);
          expect(heap.size).toBe(items.length - expected.length);
          expect(heap.minTs).toBe(
            heap.size === 0
              ? Infinity
              : Math.min(...items.filter((i) => i.ts > cut).map((i) => i.ts)),
          );
        },
      ),
      { numRuns: runs },
    );
  });
});
