import type { TimeWindow } from '../time/time-window.js';

/** Flink's `isWindowLate`: the watermark has passed the window's end plus the allowed lateness. */
export function isWindowLate(
  window: TimeWindow,
  allowedLatenessMs: number,
  watermark: number,
): boolean {
  return window.maxTimestamp + allowedLatenessMs <= watermark;
}

/** Flink's `cleanupTime`: when the window's state is dropped. */
export function cleanupTime(window: TimeWindow, allowedLatenessMs: number): number {
  return window.maxTimestamp + allowedLatenessMs;
}
