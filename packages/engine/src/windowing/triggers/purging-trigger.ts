import type { TimeWindow } from '../../time/time-window.js';
import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from '../trigger.js';

/** Flink's `PurgingTrigger`: turns every FIRE of the nested trigger into FIRE_AND_PURGE. */
export function purgingTrigger<T>(nested: Trigger<T>): Trigger<T> {
  const purging = (result: TriggerResult): TriggerResult =>
    result === 'FIRE' ? 'FIRE_AND_PURGE' : result;
  return {
    ...(nested.states !== undefined ? { states: nested.states } : {}),
    onElement: (element: T, timestamp: number, window: TimeWindow, ctx: TriggerContext) =>
      purging(nested.onElement(element, timestamp, window, ctx)),
    onEventTime: (time: number, window: TimeWindow, ctx: TriggerContext) =>
      purging(nested.onEventTime(time, window, ctx)),
    onProcessingTime: (time: number, window: TimeWindow, ctx: TriggerContext) =>
      purging(nested.onProcessingTime(time, window, ctx)),
    onMerge: (window: TimeWindow, ctx: OnMergeContext) => nested.onMerge(window, ctx),
    clear: (window: TimeWindow, ctx: TriggerContext) => nested.clear(window, ctx),
  };
}
