import { EngineInvariantError, InvalidOperatorConfigError } from '../errors.js';
import { TimerHeap } from '../time/timer-heap.js';
import { TimeWindow } from '../time/time-window.js';
import { cleanupTime, isWindowLate } from './lateness.js';
import type { MergePlan, SessionWindowAssigner } from './session-window-assigner.js';
import { SlotContext } from './slot-context.js';
import { isFire, isPurge } from './trigger.js';
import type { Trigger, TriggerResult } from './trigger.js';
import { WindowSlot, removeTimer } from './window-slot.js';
import { decodeTime, encodeTime, refAt } from '../snapshot/snapshot-encoding.js';
import type { EncodedTime } from '../snapshot/snapshot-encoding.js';
import type { HeapSnapshot } from '../time/timer-heap.js';
import { restoreSlots, snapshotSlots } from './window-operator-snapshot.js';
import type { WindowSlotSnapshot, WindowStateCodec } from './window-operator-snapshot.js';

/** How a window's contents are built, as Flink's `AggregateFunction` with `merge`. */
export interface WindowAggregate<IN, ACC> {
  create(): ACC;
  add(accumulator: ACC, element: IN): ACC;
  merge(a: ACC, b: ACC): ACC;
}

/** What made a window fire: an element, an event-time timer or a processing-time timer. */
export type FireCause = 'element' | 'eventTime' | 'processingTime';

export interface WindowFiring<ACC> {
  readonly key: string;
  readonly window: TimeWindow;
  readonly contents: ACC;
  readonly cause: FireCause;
  /**
   * The session's identity: the window as it first fired, stable across
   * merges; with `identityFollowsStart`, the window as it last fired.
   */
  readonly session: TimeWindow;
  /**
   * With `identityFollowsStart`: the identity the session had before this
   * firing, when the window grew to an earlier start since it last fired.
   */
  readonly movedFrom?: TimeWindow;
  /** The operator's watermark at the firing (a fire with `window.maxTimestamp <= watermark` is a late fire). */
  readonly watermark: number;
}

export interface WindowRetraction {
  readonly key: string;
  /** The absorbed window, with the bounds it had when the merge happened. */
  readonly window: TimeWindow;
  /** The absorbed session's identity (its window at its first firing). */
  readonly session: TimeWindow;
  /** The surviving session's identity. */
  readonly into: TimeWindow;
}

/** Where the operator's outputs go; the late side output is Flink's `sideOutputLateData`. */
export interface WindowOperatorOutput<IN, ACC> {
  fired(firing: WindowFiring<ACC>): void;
  late(key: string, element: IN, timestamp: number): void;
  retracted(retraction: WindowRetraction): void;
  /** The window's state was dropped (watermark past end - 1 + allowed lateness). */
  expired?(key: string, window: TimeWindow, session: TimeWindow | undefined): void;
}

export interface WindowOperatorOptions<IN, ACC> {
  readonly assigner: SessionWindowAssigner;
  readonly trigger: Trigger<IN>;
  readonly aggregate: WindowAggregate<IN, ACC>;
  readonly allowedLatenessMs?: number;
  /**
   * When firings are upserts of one session (the session trigger), a merge
   * that absorbs several fired windows keeps the earliest and retracts the others.
   */
  readonly retractAbsorbedFirings?: boolean;
  /**
   * A fired session's identity moves to its window's start when the window
   * grew to an earlier start since it last fired (reported on the firing as
   * `movedFrom`), so that the identity is the earliest element's time
   * whatever the arrival order. Off by default: Flink keeps the first.
   */
  readonly identityFollowsStart?: boolean;
  readonly output: WindowOperatorOutput<IN, ACC>;
}

type Domain = 'eventTime' | 'processingTime';

/** A window operator's whole state as plain JSON data (see {@link WindowOperator.snapshot}). */
export interface WindowOperatorSnapshot<C, S> {
  readonly watermark: EncodedTime;
  readonly processingTime: number;
  readonly slots: readonly WindowSlotSnapshot<C, S>[];
  readonly eventTimers: HeapSnapshot;
  readonly processingTimers: HeapSnapshot;
}

/**
 * Flink's `WindowOperator` for merging (session) windows, keyed by a string:
 * the assigner says which window an element belongs to, the trigger when it
 * fires, and this class keeps per-window state, timers, allowed lateness,
 * cleanup and the late side output. Time only moves through
 * `advanceWatermark` and `advanceProcessingTime`.
 *
 * Example:
 *   const op = new WindowOperator({ assigner: sessionWindows(3000), trigger: eventTimeTrigger(), aggregate, output });
 *   op.processElement('k', value, 1000); op.advanceWatermark(5000);
 */
export class WindowOperator<IN, ACC> {
  private keys = new Map<string, WindowSlot<ACC>[]>();
  private readonly eventTimers = new TimerHeap<WindowSlot<unknown>>(canStillFire);
  private readonly processingTimers = new TimerHeap<WindowSlot<unknown>>(canStillFire);
  private readonly ctx: SlotContext;
  /** Plays the absorbed window while a window grows in place (never queued: always dead). */
  private readonly scratch = deadSlot<ACC>();
  private readonly scratchList: readonly WindowSlot<unknown>[] = [
    this.scratch as WindowSlot<unknown>,
  ];
  private readonly allowedLatenessMs: number;
  private watermark = Number.NEGATIVE_INFINITY;
  private processingTime = 0;
  private windows = 0;

  constructor(private readonly options: WindowOperatorOptions<IN, ACC>) {
    this.allowedLatenessMs = options.allowedLatenessMs ?? 0;
    if (!Number.isInteger(this.allowedLatenessMs) || this.allowedLatenessMs < 0) {
      throw new InvalidOperatorConfigError(
        `allowedLatenessMs must be a non-negative integer, got ${options.allowedLatenessMs}.`,
      );
    }
    this.ctx = new SlotContext({
      clock: this,
      eventTimers: this.eventTimers,
      processingTimers: this.processingTimers,
    });
  }

  get currentWatermark(): number {
    return this.watermark;
  }

  get currentProcessingTime(): number {
    return this.processingTime;
  }

  /** Windows alive now, over all keys (fired or not; merged-away and cleaned-up ones excluded). */
  get windowCount(): number {
    return this.windows;
  }

  processElement(key: string, element: IN, timestamp: number): void {
    const { assigner, aggregate, trigger } = this.options;
    const added = assigner.assign(timestamp);
    const slots = this.keys.get(key) ?? [];
    const plan = assigner.planMerge(slots, added);
    let slot: WindowSlot<ACC>;
    if (plan.count === 0) {
      if (isWindowLate(added, this.allowedLatenessMs, this.watermark)) {
        this.options.output.late(key, element, timestamp);
        return;
      }
      slot = new WindowSlot<ACC>(key, added);
      slots.splice(plan.from, 0, slot);
      this.windows += 1;
      if (slots.length === 1) this.keys.set(key, slots);
    } else if (plan.count === 1 && slots[plan.from]!.window.equals(plan.cover)) {
      slot = slots[plan.from]!;
    } else {
      slot = this.merge(key, slots, plan);
    }
    slot.contents = aggregate.add(slot.contents ?? aggregate.create(), element);
    this.ctx.slot = slot as WindowSlot<unknown>;
    this.apply(slot, trigger.onElement(element, timestamp, slot.window, this.ctx), 'element');
    this.ctx.registerEventTimeTimer(cleanupTime(slot.window, this.allowedLatenessMs));
  }

  /** Fires every event-time timer `<= watermark`; a watermark that does not advance is ignored. */
  advanceWatermark(watermark: number): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    this.eventTimers.popUntil(watermark, (slot, time, epoch) =>
      this.onTimer('eventTime', slot as WindowSlot<ACC>, time, epoch),
    );
  }

  /** Fires every processing-time timer `<= time`; the clock never goes back. */
  advanceProcessingTime(time: number): void {
    if (time <= this.processingTime) return;
    this.processingTime = time;
    this.processingTimers.popUntil(time, (slot, at, epoch) =>
      this.onTimer('processingTime', slot as WindowSlot<ACC>, at, epoch),
    );
  }

  /**
   * The earliest processing time a timer is queued for, or undefined: a
   * caller that must bound what one advance emits can advance to it, and on
   * in such steps, instead of to the wall clock at once (the timers a long
   * stall left due fire across several calls, in the same order).
   */
  get nextProcessingTimer(): number | undefined {
    return this.processingTimers.peekTime();
  }

  /**
   * The operator's state as plain data: clock, live windows with contents,
   * trigger state and timers, and the timer queues' order. Take it between
   * calls, never from inside an output callback.
   *
   * Example: `WindowOperator.restore(options, op.snapshot(codec), codec)`.
   */
  snapshot<C, S>(codec: WindowStateCodec<ACC, C, S>): WindowOperatorSnapshot<C, S> {
    const { slots, idOf } = snapshotSlots(this.keys, codec);
    return {
      watermark: encodeTime(this.watermark),
      processingTime: this.processingTime,
      slots,
      eventTimers: this.eventTimers.snapshot(idOf),
      processingTimers: this.processingTimers.snapshot(idOf),
    };
  }

  /** An operator that continues exactly where the one that took `snapshot` was. */
  static restore<IN, ACC, C, S>(
    options: WindowOperatorOptions<IN, ACC>,
    snapshot: WindowOperatorSnapshot<C, S>,
    codec: WindowStateCodec<ACC, C, S>,
  ): WindowOperator<IN, ACC> {
    const op = new WindowOperator(options);
    const { keys, slots } = restoreSlots(
      snapshot.slots,
      options.trigger as Trigger<unknown>,
      codec,
    );
    const slotOf = (id: number): WindowSlot<unknown> =>
      refAt(slots, id, 'window') as WindowSlot<unknown>;
    op.keys = keys;
    op.windows = slots.length;
    op.watermark = decodeTime(snapshot.watermark);
    op.processingTime = snapshot.processingTime;
    op.eventTimers.load(snapshot.eventTimers, slotOf);
    op.processingTimers.load(snapshot.processingTimers, slotOf);

    return op;
  }

  /** The live windows, per key, sorted by start (for inspection and tests). */
  *liveWindows(): Generator<{ key: string; window: TimeWindow; contents: ACC | undefined }> {
    for (const [key, slots] of this.keys) {
      for (const slot of slots) yield { key, window: slot.window, contents: slot.contents };
    }
  }

  get liveWindowCount(): number {
    let count = 0;
    for (const slots of this.keys.values()) count += slots.length;
    return count;
  }

  private merge(key: string, slots: WindowSlot<ACC>[], plan: MergePlan): WindowSlot<ACC> {
    if (isWindowLate(plan.cover, this.allowedLatenessMs, this.watermark)) {
      throw new EngineInvariantError(
        `merging into ${plan.cover.toString()} would produce a late window at watermark ${this.watermark}; live windows are never late, so this is an engine bug.`,
      );
    }
    if (plan.count === 1) return this.growInPlace(slots[plan.from]!, plan.cover);
    const { aggregate, trigger } = this.options;
    const absorbed = slots.slice(plan.from, plan.from + plan.count);
    const merged = new WindowSlot<ACC>(key, plan.cover);
    for (const old of absorbed) {
      if (old.contents === undefined) continue;
      merged.contents =
        merged.contents === undefined
          ? old.contents
          : aggregate.merge(merged.contents, old.contents);
    }
    this.ctx.slot = merged as WindowSlot<unknown>;
    this.ctx.absorbed = absorbed as WindowSlot<unknown>[];
    trigger.onMerge(plan.cover, this.ctx);
    this.ctx.absorbed = NONE_ABSORBED;
    for (const old of absorbed) {
      this.ctx.slot = old as WindowSlot<unknown>;
      trigger.clear(old.window, this.ctx);
      old.alive = false; // its cleanup timer and any timer the trigger left are now ignored
    }
    this.carrySessionIdentity(key, merged, absorbed);
    slots.splice(plan.from, plan.count, merged);
    this.windows += 1 - plan.count;
    return merged;
  }

  /**
   * A merge that absorbs one window (the window only grows) keeps its slot,
   * with the same effect as replacing it by a new one: its state and timer
   * lists move to the scratch slot, which the trigger sees as the absorbed
   * window (onMerge, then clear), and the epoch bump voids every timer queued
   * for it, as timers of a slot merged away are. Contents and the session
   * identity stay; no allocation.
   */
  private growInPlace(slot: WindowSlot<ACC>, cover: TimeWindow): WindowSlot<ACC> {
    const { trigger } = this.options;
    const old = this.scratch;
    old.key = slot.key;
    old.window = slot.window;
    const state = slot.state;
    slot.state = old.state;
    old.state = state;
    const eventTimers = slot.eventTimers;
    slot.eventTimers = old.eventTimers;
    old.eventTimers = eventTimers;
    const processingTimers = slot.processingTimers;
    slot.processingTimers = old.processingTimers;
    old.processingTimers = processingTimers;
    slot.window = cover;
    slot.epoch++;
    this.ctx.slot = slot as WindowSlot<unknown>;
    this.ctx.absorbed = this.scratchList;
    trigger.onMerge(cover, this.ctx);
    this.ctx.absorbed = NONE_ABSORBED;
    this.ctx.slot = old as WindowSlot<unknown>;
    trigger.clear(old.window, this.ctx);
    old.state.clear();
    old.eventTimers.length = 0;
    old.processingTimers.length = 0;
    return slot;
  }

  /** The earliest fired window survives; each other fired window is retracted once. */
  private carrySessionIdentity(
    key: string,
    merged: WindowSlot<ACC>,
    absorbed: WindowSlot<ACC>[],
  ): void {
    const fired = absorbed.filter((slot) => slot.firedAs !== undefined);
    const survivor = fired[0];
    if (survivor === undefined) return;
    merged.firedAs = survivor.firedAs;
    if (this.options.retractAbsorbedFirings !== true) return;
    for (const other of fired.slice(1)) {
      this.options.output.retracted({
        key,
        window: other.window,
        session: other.firedAs!,
        into: survivor.firedAs!,
      });
    }
  }

  /** One code path for both timer domains; only event time cleans up (the assigner is event-time). */
  private onTimer(domain: Domain, slot: WindowSlot<ACC>, time: number, epoch: number): void {
    const timers = domain === 'eventTime' ? slot.eventTimers : slot.processingTimers;
    if (!slot.alive || epoch !== slot.epoch || !removeTimer(timers, time)) return;
    this.ctx.slot = slot as WindowSlot<unknown>;
    if (slot.contents !== undefined) {
      const { trigger } = this.options;
      const result =
        domain === 'eventTime'
          ? trigger.onEventTime(time, slot.window, this.ctx)
          : trigger.onProcessingTime(time, slot.window, this.ctx);
      this.apply(slot, result, domain);
    }
    if (domain === 'eventTime' && time === cleanupTime(slot.window, this.allowedLatenessMs)) {
      this.clearAllState(slot);
    }
  }

  private apply(slot: WindowSlot<ACC>, result: TriggerResult, cause: Domain | 'element'): void {
    if (isFire(result) && slot.contents !== undefined) {
      const previous = slot.firedAs;
      const moved =
        previous !== undefined &&
        this.options.identityFollowsStart === true &&
        slot.window.start < previous.start;
      if (previous === undefined || moved) slot.firedAs = slot.window;
      this.options.output.fired({
        key: slot.key,
        window: slot.window,
        contents: slot.contents,
        cause,
        session: slot.firedAs!,
        watermark: this.watermark,
        ...(moved ? { movedFrom: previous } : {}),
      });
    }
    if (isPurge(result)) slot.contents = undefined;
  }

  private clearAllState(slot: WindowSlot<ACC>): void {
    this.ctx.slot = slot as WindowSlot<unknown>;
    this.options.trigger.clear(slot.window, this.ctx);
    slot.contents = undefined;
    slot.state.clear();
    slot.alive = false;
    const slots = this.keys.get(slot.key);
    if (slots !== undefined) {
      const at = slots.indexOf(slot);
      if (at >= 0) {
        slots.splice(at, 1);
        this.windows -= 1;
      }
      if (slots.length === 0) this.keys.delete(slot.key);
    }
    this.options.output.expired?.(slot.key, slot.window, slot.firedAs);
  }
}

const NONE_ABSORBED: readonly WindowSlot<unknown>[] = Object.freeze([]);

/**
 * Whether a queued timer may still fire: not when its slot is dead (merged
 * away, cleaned up: slots never come back) or was grown in place since (its
 * epoch only increases). The queues drop the others in bulk.
 */
function canStillFire(slot: WindowSlot<unknown>, epoch: number): boolean {
  return slot.alive && epoch === slot.epoch;
}

function deadSlot<ACC>(): WindowSlot<ACC> {
  const slot = new WindowSlot<ACC>('', new TimeWindow(0, 1));
  slot.alive = false;
  return slot;
}
