import { describe, expect, it } from 'vitest';
import { TimeWindow } from '../../time/time-window.js';
import { countTrigger } from './count-trigger.js';
import { eventTimeTrigger } from './event-time-trigger.js';
import type { OnMergeContext, StateDescriptor } from '../trigger.js';
import { purgingTrigger } from './purging-trigger.js';
import { countCompleteness, sessionTrigger } from './session-trigger.js';

/**
 * A TriggerContext for testing one trigger alone (Flink's TriggerTestHarness
 * in miniature): it records timers and state per window key.
 */
class FakeTriggerContext implements OnMergeContext {
  currentWatermark = Number.NEGATIVE_INFINITY;
  currentProcessingTime = 0;
  readonly eventTimers = new Set<number>();
  readonly processingTimers = new Set<number>();
  state = new Map<StateDescriptor<unknown>, unknown>();
  /** States of the windows being absorbed, for `mergeState`. */
  absorbed: Map<StateDescriptor<unknown>, unknown>[] = [];

  registerEventTimeTimer(time: number): void {
    this.eventTimers.add(time);
  }
  deleteEventTimeTimer(time: number): void {
    this.eventTimers.delete(time);
  }
  registerProcessingTimeTimer(time: number): void {
    this.processingTimers.add(time);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.processingTimers.delete(time);
  }
  getState<T>(d: StateDescriptor<T>): T | undefined {
    return this.state.get(d as StateDescriptor<unknown>) as T | undefined;
  }
  setState<T>(d: StateDescriptor<T>, value: T): void {
    this.state.set(d as StateDescriptor<unknown>, value);
  }
  clearState<T>(d: StateDescriptor<T>): void {
    this.state.delete(d as StateDescriptor<unknown>);
  }
  mergeState<T>(d: StateDescriptor<T>): void {
    const values = this.absorbed
      .map((s) => s.get(d as StateDescriptor<unknown>) as T | undefined)
      .filter((v): v is T => v !== undefined);
    if (values.length > 0)
      this.setState(
        d,
        values.reduce((a, b) => d.merge(a, b)),
      );
  }
}

const w = new TimeWindow(0, 1000);

describe('eventTimeTrigger', () => {
  it('registers a timer at maxTimestamp and fires only at it', () => {
    const ctx = new FakeTriggerContext();
    const trigger = eventTimeTrigger<number>();
    expect(trigger.onElement(1, 10, w, ctx)).toBe('CONTINUE');
    expect([...ctx.eventTimers]).toEqual([999]);
    expect(trigger.onEventTime(998, w, ctx)).toBe('CONTINUE');
    expect(trigger.onEventTime(999, w, ctx)).toBe('FIRE');
    expect(trigger.onProcessingTime(999, w, ctx)).toBe('CONTINUE');
  });

  it('fires at once when the watermark already passed the window', () => {
    const ctx = new FakeTriggerContext();
    ctx.currentWatermark = 999;
    expect(eventTimeTrigger<number>().onElement(1, 10, w, ctx)).toBe('FIRE');
    expect(ctx.eventTimers.size).toBe(0);
  });

  it('re-registers on merge only when the merged window is still ahead of the watermark, and clears its timer', () => {
    const ctx = new FakeTriggerContext();
    const trigger = eventTimeTrigger<number>();
    ctx.currentWatermark = 999;
    trigger.onMerge(w, ctx);
    expect(ctx.eventTimers.size).toBe(0);
    trigger.onMerge(new TimeWindow(0, 2000), ctx);
    expect([...ctx.eventTimers]).toEqual([1999]);
    trigger.clear(new TimeWindow(0, 2000), ctx);
    expect(ctx.eventTimers.size).toBe(0);
  });
});

describe('countTrigger and purgingTrigger', () => {
  it('fires every N elements and resets its count', () => {
    const ctx = new FakeTriggerContext();
    const trigger = countTrigger<number>(2);
    const results = [1, 2, 3, 4, 5].map((v) => trigger.onElement(v, v, w, ctx));
    expect(results).toEqual(['CONTINUE', 'FIRE', 'CONTINUE', 'FIRE', 'CONTINUE']);
  });

  it('sums the counts of merged windows', () => {
    const ctx = new FakeTriggerContext();
    const trigger = countTrigger<number>(3);
    const a = new FakeTriggerContext();
    const b = new FakeTriggerContext();
    trigger.onElement(1, 1, w, a);
    trigger.onElement(1, 1, w, b);
    ctx.absorbed = [a.state, b.state];
    trigger.onMerge(w, ctx);
    expect(trigger.onElement(1, 1, w, ctx)).toBe('FIRE');
  });

  it('purging turns FIRE into FIRE_AND_PURGE and leaves CONTINUE alone', () => {
    const ctx = new FakeTriggerContext();
    const trigger = purgingTrigger(countTrigger<number>(2));
    expect(trigger.onElement(1, 1, w, ctx)).toBe('CONTINUE');
    expect(trigger.onElement(1, 1, w, ctx)).toBe('FIRE_AND_PURGE');
  });

  it('rejects a count below 1 with the value', () => {
    expect(() => countTrigger(0)).toThrow(/got 0/);
  });
});

describe('sessionTrigger', () => {
  const make = () =>
    sessionTrigger<number, number>({ completeness: countCompleteness(3), timeoutMs: 100 });

  it('arms a processing-time timeout on change, replacing the previous one', () => {
    const ctx = new FakeTriggerContext();
    const trigger = make();
    expect(trigger.onElement(1, 1, w, ctx)).toBe('CONTINUE');
    expect([...ctx.processingTimers]).toEqual([100]);
    ctx.currentProcessingTime = 50;
    trigger.onElement(1, 2, w, ctx);
    expect([...ctx.processingTimers]).toEqual([150]);
    expect(trigger.onProcessingTime(150, w, ctx)).toBe('FIRE');
    expect(trigger.onProcessingTime(150, w, ctx)).toBe('CONTINUE');
  });

  it('fires at once when complete and then ignores the stale timeout', () => {
    const ctx = new FakeTriggerContext();
    const trigger = make();
    trigger.onElement(1, 1, w, ctx);
    trigger.onElement(1, 2, w, ctx);
    expect(trigger.onElement(1, 3, w, ctx)).toBe('FIRE');
    expect(trigger.onProcessingTime(100, w, ctx)).toBe('CONTINUE');
  });

  it('fires finally at maxTimestamp whether or not it fired before, and never purges', () => {
    const ctx = new FakeTriggerContext();
    const trigger = make();
    trigger.onElement(1, 1, w, ctx);
    expect(trigger.onEventTime(999, w, ctx)).toBe('FIRE');
    expect(trigger.onEventTime(999, w, ctx)).toBe('FIRE');
    expect(trigger.onEventTime(500, w, ctx)).toBe('CONTINUE');
  });

  it('clear deletes both timers and all state', () => {
    const ctx = new FakeTriggerContext();
    const trigger = make();
    trigger.onElement(1, 1, w, ctx);
    trigger.clear(w, ctx);
    expect(ctx.eventTimers.size + ctx.processingTimers.size + ctx.state.size).toBe(0);
  });

  it('rejects a non-positive timeout or completeCount', () => {
    expect(() => sessionTrigger({ completeness: countCompleteness(1), timeoutMs: 0 })).toThrow(
      /got 0/,
    );
    expect(() => countCompleteness(0)).toThrow(/got 0/);
  });
});
