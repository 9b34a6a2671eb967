/**
 * An event-time window `[start, end)`, as Flink's `TimeWindow`: a value object.
 * `maxTimestamp` is the last millisecond that belongs to it (`end - 1`).
 *
 * Example: `new TimeWindow(0, 3000).maxTimestamp === 2999`.
 */
export class TimeWindow {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  get maxTimestamp(): number {
    return this.end - 1;
  }

  /** Flink's `intersects`: touching windows (`a.end === b.start`) intersect, so they merge. */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  /** The smallest window covering both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  equals(other: TimeWindow): boolean {
    return this.start === other.start && this.end === other.end;
  }

  toString(): string {
    return `[${this.start}, ${this.end})`;
  }
}
