import { InvalidOperatorConfigError } from '../errors.js';

export interface IntervalJoinBounds {
  readonly lowerMs: number;
  readonly upperMs: number;
  readonly lowerInclusive?: boolean;
  readonly upperInclusive?: boolean;
}

/** Inclusive bounds: `anchor + lowerMs <= ts <= anchor + upperMs`. */
export interface ClosedBounds {
  readonly lowerMs: number;
  readonly upperMs: number;
}

/**
 * Turns exclusive bounds into inclusive ones (integer milliseconds: an
 * exclusive bound moves by 1), as Flink's IntervalJoinOperator constructor
 * does, and rejects bounds that join nothing, showing the values.
 *
 * Example: `closeBounds({ lowerMs: -1, upperMs: 1, lowerInclusive: false })` is `{ lowerMs: 0, upperMs: 1 }`.
 */
export function closeBounds(bounds: IntervalJoinBounds): ClosedBounds {
  const { lowerMs, upperMs } = bounds;
  if (!Number.isInteger(lowerMs) || !Number.isInteger(upperMs)) {
    throw new InvalidOperatorConfigError(
      `interval join bounds must be integers of milliseconds, got lower ${lowerMs} and upper ${upperMs}.`,
    );
  }
  const closed = {
    lowerMs: bounds.lowerInclusive === false ? lowerMs + 1 : lowerMs,
    upperMs: bounds.upperInclusive === false ? upperMs - 1 : upperMs,
  };
  if (closed.lowerMs > closed.upperMs) {
    const mark = (inclusive: boolean | undefined) => (inclusive === false ? ' (exclusive)' : '');
    throw new InvalidOperatorConfigError(
      `interval join needs lower <= upper once exclusive bounds are closed: got lower ${lowerMs}${mark(bounds.lowerInclusive)} and upper ${upperMs}${mark(bounds.upperInclusive)}, i.e. [${closed.lowerMs}, ${closed.upperMs}], which joins nothing; widen the bounds.`,
    );
  }
  return closed;
}

/** Whether `ts` lies within the closed bounds around `anchor`. */
export function withinBounds(bounds: ClosedBounds, anchor: number, ts: number): boolean {
  return anchor + bounds.lowerMs <= ts && ts <= anchor + bounds.upperMs;
}
