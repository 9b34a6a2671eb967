import type { TimeWindow } from '../time/time-window.js';

/**
 * What a trigger decides, as Flink's `TriggerResult`: fire (emit the window's
 * contents) and/or purge (drop them; the window itself stays until cleanup).
 */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';

export function isFire(result: TriggerResult): boolean {
  return result === 'FIRE' || result === 'FIRE_AND_PURGE';
}

export function isPurge(result: TriggerResult): boolean {
  return result === 'PURGE' || result === 'FIRE_AND_PURGE';
}

/**
 * Names one piece of per-window trigger state, as Flink's state descriptors.
 * `merge` combines two windows' values when session windows merge.
 */
export interface StateDescriptor<T> {
  readonly name: string;
  readonly merge: (a: T, b: T) => T;
}

/**
 * Everything a trigger may touch: time, timers and its per-window state. A
 * trigger keeps no fields of its own, so one instance serves every window.
 */
export interface TriggerContext {
  readonly currentWatermark: number;
  readonly currentProcessingTime: number;
  registerEventTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  getState<T>(descriptor: StateDescriptor<T>): T | undefined;
  setState<T>(descriptor: StateDescriptor<T>, value: T): void;
  clearState<T>(descriptor: StateDescriptor<T>): void;
}

/** The context of `onMerge`: also merges a state of the absorbed windows into the new one. */
export interface OnMergeContext extends TriggerContext {
  mergeState<T>(descriptor: StateDescriptor<T>): void;
}

/**
 * Decides when a window fires, as Flink's `Trigger`. The operator calls
 * `onMerge` on the merged window (before the element that caused the merge
 * arrives through `onElement`) and `clear` on every absorbed or expired window.
 */
export interface Trigger<T> {
  onElement(element: T, timestamp: number, window: TimeWindow, ctx: TriggerContext): TriggerResult;
  onEventTime(time: number, window: TimeWindow, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: TimeWindow, ctx: TriggerContext): TriggerResult;
  onMerge(window: TimeWindow, ctx: OnMergeContext): void;
  clear(window: TimeWindow, ctx: TriggerContext): void;
  /**
   * Every state descriptor the trigger uses. A checkpoint stores state by
   * descriptor name and needs them to restore it; a trigger without this
   * list can be snapshotted only while its windows hold no state.
   */
  readonly states?: readonly StateDescriptor<unknown>[];
}

/** A state descriptor for a number summed on merge (counts). */
export function sumState(name: string): StateDescriptor<number> {
  return { name, merge: (a, b) => a + b };
}

/** A state descriptor for a flag or-ed on merge. */
export function flagState(name: string): StateDescriptor<boolean> {
  return { name, merge: (a, b) => a || b };
}
