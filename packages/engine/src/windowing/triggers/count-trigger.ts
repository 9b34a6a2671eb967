import { InvalidOperatorConfigError } from '../../errors.js';
import type { TimeWindow } from '../../time/time-window.js';
import { sumState } from '../trigger.js';
import type {
  OnMergeContext,
  StateDescriptor,
  Trigger,
  TriggerContext,
  TriggerResult,
} from '../trigger.js';

const COUNT = sumState('count');

/**
 * Flink's `CountTrigger`: fires every `maxCount` elements. Its count resets
 * on firing and is summed when windows merge; it never purges (wrap it in
 * `purgingTrigger` for that).
 */
export function countTrigger<T>(maxCount: number): Trigger<T> {
  if (!Number.isInteger(maxCount) || maxCount < 1) {
    throw new InvalidOperatorConfigError(
      `count trigger needs a positive integer count, got ${maxCount}; use 1 to fire on every element.`,
    );
  }
  return {
    states: [COUNT as StateDescriptor<unknown>],
    onElement(
      _element: T,
      _timestamp: number,
      _window: TimeWindow,
      ctx: TriggerContext,
    ): TriggerResult {
      const count = (ctx.getState(COUNT) ?? 0) + 1;
      if (count >= maxCount) {
        ctx.clearState(COUNT);
        return 'FIRE';
      }
      ctx.setState(COUNT, count);
      return 'CONTINUE';
    },
    onEventTime(): TriggerResult {
      return 'CONTINUE';
    },
    onProcessingTime(): TriggerResult {
      return 'CONTINUE';
    },
    onMerge(_window: TimeWindow, ctx: OnMergeContext): void {
      ctx.mergeState(COUNT);
    },
    clear(_window: TimeWindow, ctx: TriggerContext): void {
      ctx.clearState(COUNT);
    },
  };
}
