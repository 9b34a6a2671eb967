import { InvalidOperatorConfigError } from '../../errors.js';
import type { TimeWindow } from '../../time/time-window.js';
import { flagState } from '../trigger.js';
import type {
  OnMergeContext,
  StateDescriptor,
  Trigger,
  TriggerContext,
  TriggerResult,
} from '../trigger.js';

/**
 * How the session trigger knows a session is complete: a small per-window
 * progress value (a count, a bitmask of baseline steps seen…), folded over
 * the elements and merged when windows merge.
 */
export interface Completeness<T, P> {
  readonly progress: StateDescriptor<P>;
  readonly initial: P;
  add(progress: P, element: T): P;
  isComplete(progress: P): boolean;
}

export interface SessionTriggerOptions<T, P> {
  readonly completeness: Completeness<T, P>;
  /** Processing time after the last change at which a changed, unfired window fires anyway. */
  readonly timeoutMs: number;
}

const CHANGED = flagState('changed-since-fire');
const TIMEOUT_AT: StateDescriptor<number> = { name: 'timeout-at', merge: (a, b) => Math.max(a, b) };

/**
 * The platform's session trigger (after NetEase's Luna): fires at once when
 * the window becomes complete, on a processing-time timeout when it changed
 * but the watermark stalls, and finally when the watermark passes its end.
 * It never purges: every firing is an update of the same session.
 *
 * Example: `sessionTrigger({ completeness: countCompleteness(2), timeoutMs: 1000 })`.
 */
export function sessionTrigger<T, P>(options: SessionTriggerOptions<T, P>): Trigger<T> {
  const { completeness, timeoutMs } = options;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new InvalidOperatorConfigError(
      `session trigger needs a positive integer timeoutMs, got ${timeoutMs}.`,
    );
  }
  const fireNow = (ctx: TriggerContext): TriggerResult => {
    ctx.setState(CHANGED, false);
    return 'FIRE';
  };
  return {
    states: [CHANGED, TIMEOUT_AT, completeness.progress] as StateDescriptor<unknown>[],
    onElement(
      element: T,
      _timestamp: number,
      window: TimeWindow,
      ctx: TriggerContext,
    ): TriggerResult {
      const progress = completeness.add(
        ctx.getState(completeness.progress) ?? completeness.initial,
        element,
      );
      ctx.setState(completeness.progress, progress);
      // Within allowed lateness the watermark may already be past the window: fire at once.
      if (window.maxTimestamp <= ctx.currentWatermark) return fireNow(ctx);
      ctx.registerEventTimeTimer(window.maxTimestamp);
      if (completeness.isComplete(progress)) return fireNow(ctx);
      ctx.setState(CHANGED, true);
      rearmTimeout(ctx, ctx.currentProcessingTime + timeoutMs);
      return 'CONTINUE';
    },
    onEventTime(time: number, window: TimeWindow, ctx: TriggerContext): TriggerResult {
      return time === window.maxTimestamp ? fireNow(ctx) : 'CONTINUE';
    },
    onProcessingTime(time: number, _window: TimeWindow, ctx: TriggerContext): TriggerResult {
      if (ctx.getState(TIMEOUT_AT) !== time) return 'CONTINUE';
      ctx.clearState(TIMEOUT_AT);
      return ctx.getState(CHANGED) === true ? fireNow(ctx) : 'CONTINUE';
    },
    onMerge(window: TimeWindow, ctx: OnMergeContext): void {
      ctx.mergeState(completeness.progress);
      ctx.mergeState(CHANGED);
      // The absorbed windows' timeouts are deleted by `clear`; the element that
      // caused the merge re-arms one through `onElement`, which always follows.
      if (window.maxTimestamp > ctx.currentWatermark)
        ctx.registerEventTimeTimer(window.maxTimestamp);
    },
    clear(window: TimeWindow, ctx: TriggerContext): void {
      ctx.deleteEventTimeTimer(window.maxTimestamp);
      const timeoutAt = ctx.getState(TIMEOUT_AT);
      if (timeoutAt !== undefined) ctx.deleteProcessingTimeTimer(timeoutAt);
      ctx.clearState(TIMEOUT_AT);
      ctx.clearState(CHANGED);
      ctx.clearState(completeness.progress);
    },
  };
}

function rearmTimeout(ctx: TriggerContext, at: number): void {
  const previous = ctx.getState(TIMEOUT_AT);
  // Already armed for that time (processing time did not move): deleting and
  // registering it again only queues a twin timer, popped and ignored later.
  if (previous === at) return;
  if (previous !== undefined) ctx.deleteProcessingTimeTimer(previous);
  ctx.registerProcessingTimeTimer(at);
  ctx.setState(TIMEOUT_AT, at);
}

/** Completeness as "at least `completeCount` elements", as in the conformance vectors. */
export function countCompleteness<T>(completeCount: number): Completeness<T, number> {
  if (!Number.isInteger(completeCount) || completeCount < 1) {
    throw new InvalidOperatorConfigError(
      `completeCount must be a positive integer, got ${completeCount}.`,
    );
  }
  return {
    progress: { name: 'element-count', merge: (a, b) => a + b },
    initial: 0,
    add: (count) => count + 1,
    isComplete: (count) => count >= completeCount,
  };
}
