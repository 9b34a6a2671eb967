import type { TimeWindow } from '../time/time-window.js';
import type { StateDescriptor } from './trigger.js';

/**
 * One live window of one key with everything Flink keeps per window
 * namespace: contents, trigger state and registered timers. A slot that was
 * merged away or cleaned up is dead; timers that still point at it are
 * ignored, as Flink ignores timers whose window left the merging window set.
 */
export class WindowSlot<ACC> {
  contents: ACC | undefined = undefined;
  state = new Map<StateDescriptor<unknown>, unknown>();
  /** Registered timer times; few per window, so arrays beat sets in time and memory. */
  eventTimers: number[] = [];
  processingTimers: number[] = [];
  alive = true;
  /**
   * Bumped when the window is merged in place: timers queued before carry
   * the old epoch and are ignored, as timers of a slot merged away are.
   */
  epoch = 0;
  /** The window as it was when this session first fired: its stable identity across merges. */
  firedAs: TimeWindow | undefined = undefined;

  constructor(
    public key: string,
    public window: TimeWindow,
  ) {}
}

/** Adds `time` to a timer list; false when it was already there (Flink dedupes timers). */
export function addTimer(timers: number[], time: number): boolean {
  if (timers.includes(time)) return false;
  timers.push(time);
  return true;
}

/** Removes `time` from a timer list; false when it was not registered. */
export function removeTimer(timers: number[], time: number): boolean {
  const at = timers.indexOf(time);
  if (at < 0) return false;
  timers.splice(at, 1);
  return true;
}
