import type { TimerHeap } from '../time/timer-heap.js';
import type { OnMergeContext, StateDescriptor } from './trigger.js';
import { addTimer, removeTimer } from './window-slot.js';
import type { WindowSlot } from './window-slot.js';

/** The clock and timer queues a trigger context reaches through its operator. */
export interface TimerServices {
  readonly clock: { readonly currentWatermark: number; readonly currentProcessingTime: number };
  readonly eventTimers: TimerHeap<WindowSlot<unknown>>;
  readonly processingTimers: TimerHeap<WindowSlot<unknown>>;
}

/**
 * The trigger context, reused for every call (as Flink's operator reuses its
 * `Context`): the operator points it at a slot before calling the trigger.
 */
export class SlotContext implements OnMergeContext {
  slot!: WindowSlot<unknown>;
  /** Set only during `onMerge`: the windows being absorbed. */
  absorbed: readonly WindowSlot<unknown>[] = [];

  constructor(private readonly services: TimerServices) {}

  get currentWatermark(): number {
    return this.services.clock.currentWatermark;
  }

  get currentProcessingTime(): number {
    return this.services.clock.currentProcessingTime;
  }

  registerEventTimeTimer(time: number): void {
    const slot = this.slot;
    if (addTimer(slot.eventTimers, time)) this.services.eventTimers.push(time, slot, slot.epoch);
  }

  deleteEventTimeTimer(time: number): void {
    removeTimer(this.slot.eventTimers, time);
  }

  registerProcessingTimeTimer(time: number): void {
    const slot = this.slot;
    if (addTimer(slot.processingTimers, time)) {
      this.services.processingTimers.push(time, slot, slot.epoch);
    }
  }

  deleteProcessingTimeTimer(time: number): void {
    removeTimer(this.slot.processingTimers, time);
  }

  getState<T>(descriptor: StateDescriptor<T>): T | undefined {
    return this.slot.state.get(descriptor as StateDescriptor<unknown>) as T | undefined;
  }

  setState<T>(descriptor: StateDescriptor<T>, value: T): void {
    this.slot.state.set(descriptor as StateDescriptor<unknown>, value);
  }

  clearState<T>(descriptor: StateDescriptor<T>): void {
    this.slot.state.delete(descriptor as StateDescriptor<unknown>);
  }

  mergeState<T>(descriptor: StateDescriptor<T>): void {
    let merged: T | undefined = undefined;
    for (const slot of this.absorbed) {
      const value = slot.state.get(descriptor as StateDescriptor<unknown>) as T | undefined;
      if (value === undefined) continue;
      merged = merged === undefined ? value : descriptor.merge(merged, value);
    }
    if (merged !== undefined) this.setState(descriptor, merged);
  }
}
