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

  it('peeks at the earliest queued time without popping it', () => {
    const heap = new TimerHeap<string>();
    expect(heap.peekTime()).toBeUndefined();
    heap.push(7, 'b');
    heap.push(3, 'a');
    expect(heap.peekTime()).toBe(3);
    heap.popUntil(3, () => {});
    expect(heap.peekTime()).toBe(7);
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

  it('sweeping timers that can never fire leaves the firing order of the others unchanged', () => {
    // Steps: push a timer for payload p, kill payload p for good, or pop up to a bound;
    // a sweep threshold of 8 so that most runs sweep several times.
    const step = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 200 }), p: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ push: fc.integer({ min: 0, max: 200 }), p: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kill: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ pop: fc.integer({ min: 0, max: 200 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 50, maxLength: 400 }), (steps) => {
        const dead = new Set<number>();
        const swept = new TimerHeap<number>((p) => !dead.has(p), 8);
        const plain = new TimerHeap<number>();
        const firedSwept: [number, number][] = [];
        const firedPlain: [number, number][] = [];
        let base = 0;
        for (const s of steps) {
          if ('push' in s) {
            swept.push(base + s.push, s.p);
            plain.push(base + s.push, s.p);
          } else if ('kill' in s) {
            dead.add(s.kill);
          } else {
            base += s.pop;
            swept.popUntil(base, (p, t) => !dead.has(p) && firedSwept.push([p, t]));
            plain.popUntil(base, (p, t) => !dead.has(p) && firedPlain.push([p, t]));
          }
        }
        expect(firedSwept).toEqual(firedPlain);
        expect(swept.size).toBeLessThanOrEqual(plain.size);
      }),
      { numRuns: Math.max(10, runs / 10) },
    );
  });
});
