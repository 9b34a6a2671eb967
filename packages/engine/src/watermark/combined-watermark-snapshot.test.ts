import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotFormatError, SnapshotMismatchError } from '../errors.js';
import { CombinedWatermark } from './combined-watermark.js';
import type { WatermarkSnapshot } from './combined-watermark.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const options = { maxOutOfOrdernessMs: 3, idleTimeoutMs: 50, partitions: ['a', 'b', 'c'] };

type Op = { partition: string; ts: number } | { advance: number };

function apply(wm: CombinedWatermark, op: Op, now: number): number {
  if ('partition' in op) wm.onElement(op.partition, op.ts, now);
  else wm.onProcessingTime((now += op.advance));
  return now;
}

describe('CombinedWatermark snapshots', () => {
  it('a restored watermark continues exactly as the original', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        partition: fc.constantFrom('a', 'b', 'c'),
        ts: fc.integer({ min: 0, max: 1000 }),
      }),
      fc.record({ advance: fc.integer({ min: 0, max: 60 }) }),
    );
    fc.assert(
      fc.property(
        fc
          .array(op, { maxLength: 60 })
          .chain((ops) => fc.tuple(fc.constant(ops), fc.integer({ min: 0, max: ops.length }))),
        ([ops, cut]) => {
          const original = new CombinedWatermark(options);
          let now = 0;
          for (const o of ops.slice(0, cut)) now = apply(original, o, now);
          const stored = JSON.stringify(original.snapshot());
          const restored = CombinedWatermark.restore(
            JSON.parse(stored) as WatermarkSnapshot,
            options,
          );
          expect(JSON.stringify(restored.snapshot())).toBe(stored);
          for (const o of ops.slice(cut)) {
            const later = apply(original, o, now);
            apply(restored, o, now);
            now = later;
            expect(restored.current).toBe(original.current);
          }
        },
      ),
      { numRuns: runs },
    );
  });

  it('rejects other options, naming the field and both values', () => {
    const snapshot = new CombinedWatermark(options).snapshot();
    expect(() => CombinedWatermark.restore(snapshot, { ...options, idleTimeoutMs: 60 })).toThrow(
      SnapshotMismatchError,
    );
    expect(() => CombinedWatermark.restore(snapshot, { ...options, idleTimeoutMs: 60 })).toThrow(
      'idleTimeoutMs 50, the options 60',
    );
    expect(() =>
      CombinedWatermark.restore(snapshot, { ...options, partitions: ['a', 'b'] }),
    ).toThrow('partitions ["a","b","c"], the options ["a","b"]');
  });

  it('rejects a malformed or unknown-format snapshot with the path of the problem', () => {
    const snapshot = new CombinedWatermark(options).snapshot();
    const restore = (s: unknown) => CombinedWatermark.restore(s as WatermarkSnapshot, options);
    expect(() => restore({ ...snapshot, format: 'x' })).toThrow(SnapshotFormatError);
    expect(() => restore({ ...snapshot, format: 'x' })).toThrow(/format: /);
    expect(() => restore({ ...snapshot, now: 'later' })).toThrow(/now: /);
    expect(() => restore(undefined)).toThrow(SnapshotFormatError);
  });
});
