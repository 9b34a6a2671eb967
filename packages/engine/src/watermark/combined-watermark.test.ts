import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CombinedWatermark } from './combined-watermark.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

describe('CombinedWatermark', () => {
  it('validates its options with the values in the message', () => {
    const base = { maxOutOfOrdernessMs: 0, idleTimeoutMs: 10, partitions: ['p'] };
    expect(() => new CombinedWatermark({ ...base, maxOutOfOrdernessMs: -1 })).toThrow(/got -1/);
    expect(() => new CombinedWatermark({ ...base, idleTimeoutMs: 0 })).toThrow(/got 0/);
    expect(() => new CombinedWatermark({ ...base, partitions: ['a', 'a'] })).toThrow(/distinct/);
    expect(() => new CombinedWatermark(base).onElement('q', 1, 0)).toThrow(/unknown partition "q"/);
  });

  it("lists each active partition's own watermark, leaving out idle and unread ones", () => {
    const wm = new CombinedWatermark({
      maxOutOfOrdernessMs: 10,
      idleTimeoutMs: 50,
      partitions: ['p0', 'p1', 'p2'],
    });
    wm.onElement('p0', 100, 0);
    wm.onElement('p1', 500, 0);
    wm.onElement('p1', 300, 0);
    expect(wm.partitionWatermarks()).toEqual(
      new Map([
        ['p0', 89],
        ['p1', 489],
      ]),
    );
    // p0 silent for the idle timeout: out of the list, as it is out of the combined watermark.
    wm.onElement('p1', 600, 50);
    expect(wm.partitionWatermarks()).toEqual(new Map([['p1', 589]]));
    expect(wm.current).toBe(589);
  });

  it('never goes backwards and never exceeds the largest partition watermark', () => {
    const op = fc.oneof(
      fc.record({
        partition: fc.constantFrom('a', 'b', 'c'),
        ts: fc.integer({ min: 0, max: 1000 }),
      }),
      fc.record({ advance: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const wm = new CombinedWatermark({
          maxOutOfOrdernessMs: 3,
          idleTimeoutMs: 50,
          partitions: ['a', 'b', 'c'],
        });
        let now = 0;
        let previous: number | null = null;
        let maxTs = Number.NEGATIVE_INFINITY;
        for (const o of ops) {
          if ('partition' in o) {
            wm.onElement(o.partition, o.ts, now);
            maxTs = Math.max(maxTs, o.ts);
          } else {
            now += o.advance;
            wm.onProcessingTime(now);
          }
          const current = wm.current;
          if (previous !== null) expect(current).not.toBeNull();
          if (current !== null) {
            expect(current).toBeGreaterThanOrEqual(previous ?? current);
            expect(current).toBeLessThanOrEqual(maxTs - 4);
          }
          previous = current;
        }
      }),
      { numRuns: runs },
    );
  });
});
