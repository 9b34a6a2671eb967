import type { TimeWindow } from '../../time/time-window.js';
import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from '../trigger.js';

/**
 * Flink's `EventTimeTrigger`: fires once the watermark passes the window's
 * `maxTimestamp`, and at once for an element landing in a window the
 * watermark has already passed (possible with allowed lateness).
 */
export function eventTimeTrigger<T>(): Trigger<T> {
  return {
    states: [],
    onElement(
      _element: T,
      _timestamp: number,
      window: TimeWindow,
      ctx: TriggerContext,
    ): TriggerResult {
      if (window.maxTimestamp <= ctx.currentWatermark) return 'FIRE';
      ctx.registerEventTimeTimer(window.maxTimestamp);
      return 'CONTINUE';
    },
    onEventTime(time: number, window: TimeWindow): TriggerResult {
      return time === window.maxTimestamp ? 'FIRE' : 'CONTINUE';
    },
    onProcessingTime(): TriggerResult {
      return 'CONTINUE';
    },
    onMerge(window: TimeWindow, ctx: OnMergeContext): void {
      if (window.maxTimestamp > ctx.currentWatermark)
        ctx.registerEventTimeTimer(window.maxTimestamp);
    },
    clear(window: TimeWindow, ctx: TriggerContext): void {
      ctx.deleteEventTimeTimer(window.maxTimestamp);
    },
  };
}
