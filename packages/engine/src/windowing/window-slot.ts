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
  state = new SlotState();
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

/**
 * A window's trigger state: a few values by descriptor, in insertion order
 * (as a `Map`, which snapshots list). Two short parallel arrays: a trigger
 * keeps two or three values per window and sets, deletes and clears them at
 * every element of a growing session window, where a `Map` would allocate
 * its hash table again on every shrink and `clear`.
 */
export class SlotState {
  /**
   * Descriptor and value pairs, interleaved, at [0, 2 * count). Created with
   * room for three pairs (the session trigger's), so a window's state is one
   * small array that clearing and refilling never reallocates.
   */
  private readonly entries: unknown[] = [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(descriptor: StateDescriptor<unknown>): unknown {
    const at = this.indexOf(descriptor);
    return at < 0 ? undefined : this.entries[at + 1];
  }

  set(descriptor: StateDescriptor<unknown>, value: unknown): void {
    const at = this.indexOf(descriptor);
    if (at >= 0) {
      this.entries[at + 1] = value;
      return;
    }
    this.entries[2 * this.count] = descriptor;
    this.entries[2 * this.count + 1] = value;
    this.count++;
  }

  delete(descriptor: StateDescriptor<unknown>): void {
    const at = this.indexOf(descriptor);
    if (at < 0) return;
    const entries = this.entries;
    const end = 2 * this.count;
    for (let i = at + 2; i < end; i++) entries[i - 2] = entries[i];
    entries[end - 2] = undefined;
    entries[end - 1] = undefined;
    this.count--;
  }

  clear(): void {
    for (let i = 0; i < 2 * this.count; i++) this.entries[i] = undefined;
    this.count = 0;
  }

  *[Symbol.iterator](): Generator<[StateDescriptor<unknown>, unknown]> {
    for (let i = 0; i < 2 * this.count; i += 2)
      yield [this.entries[i] as StateDescriptor<unknown>, this.entries[i + 1]];
  }

  /** The index of the descriptor's pair in `entries`, or -1. */
  private indexOf(descriptor: StateDescriptor<unknown>): number {
    for (let i = 0; i < 2 * this.count; i += 2) if (this.entries[i] === descriptor) return i;
    return -1;
  }
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
