import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimerHeap } from './timer-heap.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

describe('TimerHeap', () => {
  it('pops timers up to a bound in (time, registration) order', () => {
    const heap = new TimerHeap<string>();
    heap.push(5, 'b');
    heap.push(1, 'a');
    heap.push(5, 'c');
    heap.push(9, 'd');
    const fired: string[] = [];
    heap.popUntil(5, (p) => fired.push(p));
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(heap.size).toBe(1);
  });

  it('fires timers pushed while firing when they are within the bound', () => {
    const heap = new TimerHeap<number>();
    heap.push(1, 1);
    const fired: number[] = [];
    heap.popUntil(10, (p, time) => {
      fired.push(time);
      if (p < 3) heap.push(time + 2, p + 1);
    });
    expect(fired).toEqual([1, 3, 5]);
  });

  it('agrees with a stable sort for any insertion order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 })),
        fc.integer({ min: 0, max: 50 }),
        (times, until) => {
          const heap = new TimerHeap<number>();
          times.forEach((t, i) => heap.push(t, i));
          const fired: number[] = [];
          heap.popUntil(until, (i) => fired.push(i));
          const expected = times
            .map((t, i) => ({ t, i }))
            .filter((x) => x.t <= until)
            .sort((a, b) => a.t - b.t || a.i - b.i)
            .map((x) => x.i);
          expect(fired).toEqual(expected);
        },
      ),
      { numRuns: runs },
    );
  });
});
