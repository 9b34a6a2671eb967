import { TimerHeap } from '../time/timer-heap.js';
import { closeBounds } from './interval-bounds.js';
import type { IntervalJoinBounds } from './interval-bounds.js';

export type JoinSide = 'left' | 'right';

export interface IntervalJoinOutput<L, R> {
  joined(key: string, left: L, leftTs: number, right: R, rightTs: number): void;
  late(side: JoinSide, key: string, element: L | R, timestamp: number): void;
}

/** Buffered elements of one side of one key, bucketed by timestamp (Flink's MapState<ts, list>). */
type Buffer<T> = Map<number, T[]>;

interface KeyBuffers<L, R> {
  readonly left: Buffer<L>;
  readonly right: Buffer<R>;
}

interface CleanupTimer {
  readonly key: string;
  readonly side: JoinSide;
  /** The buffered bucket's timestamp to drop. */
  readonly timestamp: number;
}

/**
 * Flink's `IntervalJoinOperator`: a left `l` and right `r` of the same key
 * join when `l.ts + lower <= r.ts <= l.ts + upper`. Exclusive bounds are
 * turned into inclusive ones once, here; the operator's watermark is the
 * minimum of both inputs'; an element with `ts < watermark` goes to the late
 * side output of its side; buffers are cleaned when the watermark passes the
 * last time they could still join.
 *
 * Example: `new IntervalJoinOperator({ lowerMs: -1, upperMs: 1 }, output)`.
 */
export class IntervalJoinOperator<L, R> {
  readonly lowerMs: number;
  readonly upperMs: number;
  private readonly keys = new Map<string, KeyBuffers<L, R>>();
  private readonly cleanup = new TimerHeap<CleanupTimer>();
  private leftWatermark = Number.NEGATIVE_INFINITY;
  private rightWatermark = Number.NEGATIVE_INFINITY;
  private watermark = Number.NEGATIVE_INFINITY;

  constructor(
    bounds: IntervalJoinBounds,
    private readonly output: IntervalJoinOutput<L, R>,
  ) {
    ({ lowerMs: this.lowerMs, upperMs: this.upperMs } = closeBounds(bounds));
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  processLeft(key: string, element: L, timestamp: number): void {
    if (this.isLate(timestamp)) return this.output.late('left', key, element, timestamp);
    const buffers = this.buffersOf(key);
    addToBuffer(buffers.left, element, timestamp);
    forEachInRange(
      buffers.right,
      timestamp + this.lowerMs,
      timestamp + this.upperMs,
      (right, rightTs) => this.output.joined(key, element, timestamp, right, rightTs),
    );
    const at = this.upperMs > 0 ? timestamp + this.upperMs : timestamp;
    this.cleanup.push(at, { key, side: 'left', timestamp });
  }

  processRight(key: string, element: R, timestamp: number): void {
    if (this.isLate(timestamp)) return this.output.late('right', key, element, timestamp);
    const buffers = this.buffersOf(key);
    addToBuffer(buffers.right, element, timestamp);
    forEachInRange(
      buffers.left,
      timestamp - this.upperMs,
      timestamp - this.lowerMs,
      (left, leftTs) => this.output.joined(key, left, leftTs, element, timestamp),
    );
    const at = this.lowerMs < 0 ? timestamp - this.lowerMs : timestamp;
    this.cleanup.push(at, { key, side: 'right', timestamp });
  }

  /** Advances one or both inputs' watermarks; the operator's is their minimum and never regresses. */
  advanceWatermark(watermarks: { left?: number; right?: number }): void {
    if (watermarks.left !== undefined)
      this.leftWatermark = Math.max(this.leftWatermark, watermarks.left);
    if (watermarks.right !== undefined)
      this.rightWatermark = Math.max(this.rightWatermark, watermarks.right);
    const combined = Math.min(this.leftWatermark, this.rightWatermark);
    if (combined <= this.watermark) return;
    this.watermark = combined;
    this.cleanup.popUntil(combined, (timer) => this.drop(timer));
  }

  /** Buffered timestamps of each side over all keys, ascending (for inspection and tests). */
  bufferedTimestamps(): { left: number[]; right: number[] } {
    const left: number[] = [];
    const right: number[] = [];
    for (const buffers of this.keys.values()) {
      for (const [ts, items] of buffers.left) for (let i = 0; i < items.length; i++) left.push(ts);
      for (const [ts, items] of buffers.right)
        for (let i = 0; i < items.length; i++) right.push(ts);
    }
    const ascending = (a: number, b: number) => a - b;
    return { left: left.sort(ascending), right: right.sort(ascending) };
  }

  private isLate(timestamp: number): boolean {
    return timestamp < this.watermark;
  }

  private buffersOf(key: string): KeyBuffers<L, R> {
    let buffers = this.keys.get(key);
    if (buffers === undefined) {
      buffers = { left: new Map(), right: new Map() };
      this.keys.set(key, buffers);
    }
    return buffers;
  }

  private drop(timer: CleanupTimer): void {
    const buffers = this.keys.get(timer.key);
    if (buffers === undefined) return;
    (timer.side === 'left' ? buffers.left : buffers.right).delete(timer.timestamp);
    if (buffers.left.size === 0 && buffers.right.size === 0) this.keys.delete(timer.key);
  }
}

function addToBuffer<T>(buffer: Buffer<T>, element: T, timestamp: number): void {
  const bucket = buffer.get(timestamp);
  if (bucket === undefined) buffer.set(timestamp, [element]);
  else bucket.push(element);
}

function forEachInRange<T>(
  buffer: Buffer<T>,
  from: number,
  to: number,
  visit: (element: T, ts: number) => void,
): void {
  for (const [ts, bucket] of buffer) {
    if (ts < from || ts > to) continue;
    for (const element of bucket) visit(element, ts);
  }
}
