import { InvalidOperatorConfigError } from '../errors.js';
import { TimeWindow } from '../time/time-window.js';

/** Which existing windows a new one merges with, and the window covering them all. */
export interface MergePlan {
  readonly cover: TimeWindow;
  /** Start index and count of the merged windows in the (sorted, disjoint) list. */
  readonly from: number;
  readonly count: number;
}

/**
 * Flink's `EventTimeSessionWindows.withGap`: an element at `ts` belongs to
 * `[ts, ts + gap)`, and windows of a key that intersect merge into one.
 *
 * Example: `sessionWindows(3000).assign(1000)` is `[1000, 4000)`.
 */
export interface SessionWindowAssigner {
  readonly gapMs: number;
  assign(timestamp: number): TimeWindow;
  /**
   * Given a key's live windows (sorted by start, pairwise non-intersecting,
   * which merging maintains) and a new window, the windows it merges with.
   * Because live windows never touch, they form one contiguous run.
   */
  planMerge(windows: readonly { readonly window: TimeWindow }[], added: TimeWindow): MergePlan;
}

export function sessionWindows(gapMs: number): SessionWindowAssigner {
  if (!Number.isInteger(gapMs) || gapMs < 1) {
    throw new InvalidOperatorConfigError(
      `session gap must be a positive integer of milliseconds, got ${gapMs}.`,
    );
  }
  return {
    gapMs,
    assign: (timestamp) => new TimeWindow(timestamp, timestamp + gapMs),
    planMerge(windows, added) {
      let from = 0;
      while (from < windows.length && windows[from]!.window.end < added.start) from++;
      // The cover's bounds as numbers: one window object at most, however many merge.
      let start = added.start;
      let end = added.end;
      let to = from;
      while (to < windows.length && windows[to]!.window.intersects(added)) {
        const w = windows[to]!.window;
        if (w.start < start) start = w.start;
        if (w.end > end) end = w.end;
        to++;
      }
      const only = to - from === 1 ? windows[from]!.window : undefined;
      const cover =
        start === added.start && end === added.end
          ? added
          : only !== undefined && only.start === start && only.end === end
            ? only
            : new TimeWindow(start, end);
      return { cover, from, count: to - from };
    },
  };
}
