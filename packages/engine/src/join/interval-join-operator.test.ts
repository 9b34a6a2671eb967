import { describe, expect, it } from 'vitest';
import { IntervalJoinOperator } from './interval-join-operator.js';

const noop = { joined: () => undefined, late: () => undefined };

describe('IntervalJoinOperator bounds', () => {
  it('closes exclusive bounds once in the constructor', () => {
    const op = new IntervalJoinOperator(
      { lowerMs: -1, upperMs: 1, lowerInclusive: false, upperInclusive: false },
      noop,
    );
    expect([op.lowerMs, op.upperMs]).toEqual([0, 0]);
  });

  it('rejects bounds that join nothing, showing raw and closed values', () => {
    expect(() => new IntervalJoinOperator({ lowerMs: 5, upperMs: 1 }, noop)).toThrow(
      /lower 5 and upper 1/,
    );
    expect(
      () =>
        new IntervalJoinOperator(
          { lowerMs: 0, upperMs: 1, lowerInclusive: false, upperInclusive: false },
          noop,
        ),
    ).toThrow(/\[1, 0\]/);
  });

  it('rejects fractional bounds', () => {
    expect(() => new IntervalJoinOperator({ lowerMs: 0.5, upperMs: 1 }, noop)).toThrow(/integers/);
  });

  it('holds its watermark at the slower input and never regresses', () => {
    const op = new IntervalJoinOperator({ lowerMs: 0, upperMs: 1 }, noop);
    op.advanceWatermark({ left: 10 });
    expect(op.currentWatermark).toBe(Number.NEGATIVE_INFINITY);
    op.advanceWatermark({ right: 5 });
    expect(op.currentWatermark).toBe(5);
    op.advanceWatermark({ left: 3, right: 4 });
    expect(op.currentWatermark).toBe(5);
  });
});
