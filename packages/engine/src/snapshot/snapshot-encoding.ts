import { SnapshotFormatError } from '../errors.js';

/** A time in a snapshot: JSON has no infinities, so the two unbounded times are strings. */
export type EncodedTime = number | '+Infinity' | '-Infinity';

export function encodeTime(time: number): EncodedTime {
  if (time === Number.POSITIVE_INFINITY) return '+Infinity';
  if (time === Number.NEGATIVE_INFINITY) return '-Infinity';
  return time;
}

export function decodeTime(time: EncodedTime): number {
  if (time === '+Infinity') return Number.POSITIVE_INFINITY;
  if (time === '-Infinity') return Number.NEGATIVE_INFINITY;
  return time;
}

/** The element `id` of a snapshot's list, or a format error naming the reference and the list's size. */
export function refAt<T>(list: readonly T[], id: number, what: string): T {
  const item = Number.isInteger(id) ? list[id] : undefined;
  if (item === undefined) {
    throw new SnapshotFormatError(
      `snapshot refers to ${what} #${id}, but it holds ${list.length}; the snapshot is corrupt: restore an intact copy or start without it.`,
    );
  }
  return item;
}

/**
 * Numbers the distinct objects put into it (by identity), so that an object
 * shared by several parts of the state (a record in a window and in its
 * session) is written once and shared again after restore.
 */
export class ObjectTable<T> {
  readonly items: T[] = [];
  private readonly ids = new Map<T, number>();

  /** A table of already numbered items (when restoring). */
  static of<T>(items: readonly T[]): ObjectTable<T> {
    const table = new ObjectTable<T>();
    for (const item of items) table.idOf(item);
    return table;
  }

  /** The item numbered `id`, or a format error naming `what`. */
  at(id: number, what: string): T {
    return refAt(this.items, id, what);
  }

  idOf(item: T): number {
    let id = this.ids.get(item);
    if (id === undefined) {
      id = this.items.length;
      this.items.push(item);
      this.ids.set(item, id);
    }
    return id;
  }
}
