/** An element ordered by event time, then by source rank, then by its line number in that source. */
export interface Ordered {
  readonly ts: number;
  readonly rank: number;
  readonly seq: number;
}

function before(a: Ordered, b: Ordered): boolean {
  return a.ts !== b.ts ? a.ts < b.ts : a.rank !== b.rank ? a.rank < b.rank : a.seq < b.seq;
}

/**
 * A binary min-heap in (event time, source rank, line number) order: the
 * order in which `runBatch` feeds records (a stable sort by event time of the
 * sources concatenated in rank order).
 *
 * Example: `heap.push({ ts: 5, rank: 0, seq: 1 }); heap.popUpTo(10, visit)`.
 */
export class EventTimeHeap<T extends Ordered> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The earliest element's event time, or +∞ when empty. */
  get minTs(): number {
    return this.items.length > 0 ? this.items[0]!.ts : Number.POSITIVE_INFINITY;
  }

  push(item: T): void {
    const a = this.items;
    let i = a.length;
    a.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  /** Removes the elements with event time <= `ts`, in order, handing each to `visit`. */
  popUpTo(ts: number, visit: (item: T) => void): void {
    while (this.items.length > 0 && this.items[0]!.ts <= ts) visit(this.pop());
  }

  private pop(): T {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(a[r]!, a[l]!) ? r : l;
        if (!before(a[c]!, last)) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
