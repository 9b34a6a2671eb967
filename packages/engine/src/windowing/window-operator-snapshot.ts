import { SnapshotFormatError } from '../errors.js';
import { TimeWindow } from '../time/time-window.js';
import type { StateDescriptor, Trigger } from './trigger.js';
import { WindowSlot } from './window-slot.js';

/** One live window as plain data: bounds, contents, trigger state by name, timers, identity. */
export interface WindowSlotSnapshot<C, S> {
  readonly key: string;
  readonly window: readonly [number, number];
  /** The encoded contents, or null for a window without contents (purged). */
  readonly contents: C | null;
  readonly state: readonly (readonly [string, S])[];
  readonly eventTimers: readonly number[];
  readonly processingTimers: readonly number[];
  /** The window at its first firing (the session's identity), or null before it fired. */
  readonly firedAs: readonly [number, number] | null;
}

/**
 * How a window operator's contents and trigger state become JSON and back.
 * `encodeContents` must never return null (null means "no contents").
 */
export interface WindowStateCodec<ACC, C, S> {
  encodeContents(contents: ACC): C;
  decodeContents(encoded: C): ACC;
  encodeState(descriptor: StateDescriptor<unknown>, value: unknown): S;
  decodeState(descriptor: StateDescriptor<unknown>, encoded: S): unknown;
}

/** The live windows in key order, then start order; `idOf` numbers them for the timer heaps. */
export function snapshotSlots<ACC, C, S>(
  keys: ReadonlyMap<string, readonly WindowSlot<ACC>[]>,
  codec: WindowStateCodec<ACC, C, S>,
): {
  slots: WindowSlotSnapshot<C, S>[];
  idOf: (slot: WindowSlot<unknown>, epoch: number) => number | undefined;
} {
  const slots: WindowSlotSnapshot<C, S>[] = [];
  const ids = new Map<WindowSlot<unknown>, number>();
  for (const list of keys.values()) {
    for (const slot of list) {
      ids.set(slot as WindowSlot<unknown>, slots.length);
      slots.push({
        key: slot.key,
        window: [slot.window.start, slot.window.end],
        contents: slot.contents === undefined ? null : codec.encodeContents(slot.contents),
        state: [...slot.state].map(([d, v]) => [d.name, codec.encodeState(d, v)] as const),
        eventTimers: [...slot.eventTimers],
        processingTimers: [...slot.processingTimers],
        firedAs: slot.firedAs === undefined ? null : [slot.firedAs.start, slot.firedAs.end],
      });
    }
  }
  // Dead slots (merged away, cleaned up) are not numbered and timers of an
  // earlier epoch are left out: they never fire again. Restored slots start at epoch 0.
  return { slots, idOf: (slot, epoch) => (epoch === slot.epoch ? ids.get(slot) : undefined) };
}

/** The windows of {@link snapshotSlots} again, grouped per key in the same order. */
export function restoreSlots<ACC, C, S>(
  snapshots: readonly WindowSlotSnapshot<C, S>[],
  trigger: Trigger<unknown>,
  codec: WindowStateCodec<ACC, C, S>,
): { keys: Map<string, WindowSlot<ACC>[]>; slots: WindowSlot<ACC>[] } {
  const byName = new Map((trigger.states ?? []).map((d) => [d.name, d]));
  const keys = new Map<string, WindowSlot<ACC>[]>();
  const slots = snapshots.map((s) => {
    const slot = new WindowSlot<ACC>(s.key, windowOf(s.window));
    if (s.contents !== null) slot.contents = codec.decodeContents(s.contents);
    for (const [name, value] of s.state) {
      const descriptor = byName.get(name);
      if (descriptor === undefined) {
        throw new SnapshotFormatError(
          `window ${slot.window.toString()} of key "${s.key}" holds trigger state "${name}", which this trigger does not use (it uses ${JSON.stringify([...byName.keys()])}); restore with the trigger the snapshot was taken with.`,
        );
      }
      slot.state.set(descriptor, codec.decodeState(descriptor, value));
    }
    slot.eventTimers.push(...s.eventTimers);
    slot.processingTimers.push(...s.processingTimers);
    if (s.firedAs !== null) slot.firedAs = windowOf(s.firedAs);
    const list = keys.get(s.key);
    if (list === undefined) keys.set(s.key, [slot]);
    else list.push(slot);
    return slot;
  });
  return { keys, slots };
}

function windowOf([start, end]: readonly [number, number]): TimeWindow {
  return new TimeWindow(start, end);
}
