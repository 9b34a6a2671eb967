import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OffsetTracker, OffsetTrackingError } from './offset-tracker.js';

const T = 'weft.src.pay_done';

describe('OffsetTracker', () => {
  it('commits nothing until the oldest input is done, then up to the contiguous done prefix', () => {
    const tracker = new OffsetTracker();
    for (const offset of ['10', '11', '12', '13']) tracker.track(T, 0, offset);
    tracker.done(T, 0, '12');
    tracker.done(T, 0, '11');
    expect(tracker.committable()).toEqual([]);
    tracker.done(T, 0, '10');
    expect(tracker.committable()).toEqual([{ topic: T, partition: 0, nextOffset: '13' }]);
    expect(tracker.inFlight).toBe(1);
  });

  it('tracks partitions independently', () => {
    const tracker = new OffsetTracker();
    tracker.track(T, 0, '5');
    tracker.track(T, 1, '7');
    tracker.track('weft.src.receipt', 0, '1');
    tracker.done(T, 1, '7');
    tracker.done('weft.src.receipt', 0, '1');
    expect(tracker.committable()).toEqual([
      { topic: T, partition: 1, nextOffset: '8' },
      { topic: 'weft.src.receipt', partition: 0, nextOffset: '2' },
    ]);
  });

  it('does not offer the same commit twice, and offers it again after a failed commit', () => {
    const tracker = new OffsetTracker();
    tracker.track(T, 0, '0');
    tracker.done(T, 0, '0');
    const commits = tracker.committable();
    expect(tracker.committable()).toEqual(commits);
    tracker.committed(commits);
    expect(tracker.committable()).toEqual([]);
    tracker.track(T, 0, '1');
    tracker.done(T, 0, '1');
    expect(tracker.committable()).toEqual([{ topic: T, partition: 0, nextOffset: '2' }]);
  });

  it('handles offset gaps (compaction, transaction markers) and int64 offsets', () => {
    const tracker = new OffsetTracker();
    tracker.track(T, 0, '9223372036854775800');
    tracker.track(T, 0, '9223372036854775805');
    tracker.done(T, 0, '9223372036854775800');
    tracker.done(T, 0, '9223372036854775805');
    expect(tracker.committable()).toEqual([
      { topic: T, partition: 0, nextOffset: '9223372036854775806' },
    ]);
  });

  it('rejects out-of-order tracking and unknown done offsets as pipeline bugs', () => {
    const tracker = new OffsetTracker();
    tracker.track(T, 0, '5');
    expect(() => tracker.track(T, 0, '5')).toThrow(OffsetTrackingError);
    tracker.done(T, 0, '5');
    expect(() => tracker.track(T, 0, '3')).toThrow(/offset 3 tracked after 5/);
    expect(() => tracker.done(T, 0, '6')).toThrow(/never tracked/);
    expect(() => tracker.done(T, 0, '5')).toThrow(/never tracked/);
  });

  it('forgets a revoked partition so its next owner range can start anywhere', () => {
    const tracker = new OffsetTracker();
    tracker.track(T, 0, '50');
    tracker.forget(T, 0);
    tracker.track(T, 0, '20');
    tracker.done(T, 0, '20');
    expect(tracker.committable()).toEqual([{ topic: T, partition: 0, nextOffset: '21' }]);
  });

  it('never commits past an input that is not done (property, against a naive oracle)', () => {
    const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (offsets, picks) => {
          const sorted = [...offsets].sort((a, b) => a - b);
          const tracker = new OffsetTracker();
          for (const offset of sorted) tracker.track(T, 0, String(offset));
          const doneSet = new Set<number>();
          const remaining = [...sorted];
          for (const pick of picks) {
            if (remaining.length === 0) break;
            const [offset] = remaining.splice(pick % remaining.length, 1) as [number];
            tracker.done(T, 0, String(offset));
            doneSet.add(offset);
            // Oracle: one past the longest done prefix of the tracked offsets.
            let expected: number | undefined;
            for (const o of sorted) {
              if (!doneSet.has(o)) break;
              expected = o + 1;
            }
            const commits = tracker.committable();
            expect(commits.map((c) => Number(c.nextOffset))).toEqual(
              expected === undefined ? [] : [expected],
            );
          }
        },
      ),
      { numRuns: runs },
    );
  });
});
