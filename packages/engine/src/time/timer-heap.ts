/** One scheduled timer; `seq` breaks ties so that equal times fire in registration order. */
export interface HeapTimer<P> {
  readonly time: number;
  readonly seq: number;
  readonly payload: P;
}

/** A heap's timers as plain data: `[time, seq, payload id]`, and the next sequence number. */
export interface HeapSnapshot {
  readonly nextSeq: number;
  readonly timers: readonly (readonly [number, number, number])[];
}

/**
 * A binary min-heap of timers ordered by (time, registration order): the
 * timer service's queue. Deletion is lazy: callers validate a popped timer
 * against their own state, which keeps `delete` O(1).
 *
 * The heap is three parallel arrays (time, sequence, payload), so pushing a
 * timer allocates nothing: timers are the operator's most frequent object.
 *
 * Example: `heap.push(5, x); heap.popUntil(10, fire)` calls `fire(x, 5)`.
 */
export class TimerHeap<P> {
  private readonly times: number[] = [];
  private readonly seqs: number[] = [];
  private readonly payloads: P[] = [];
  /** A small number the owner stores with each timer (a window's epoch), handed back on firing. */
  private readonly tags: number[] = [];
  private nextSeq = 0;
  /** The size at which the heap next drops the timers `canFire` rules out. */
  private compactAt: number;

  /**
   * `canFire`, when given, tells whether a timer may still fire: false only
   * for a timer that can never fire again, whatever happens later (its
   * window was merged away or cleaned up). Such timers are dropped in bulk
   * whenever the heap has doubled since the last sweep, instead of being
   * popped one by one when their time comes: a session window re-registers
   * its timers at every element that extends it, so most queued timers are
   * of that kind. The firing order of the others is unchanged (it is their
   * time, then registration order). `minSweepSize`: no sweep below it.
   */
  constructor(
    private readonly canFire?: (payload: P, tag: number) => boolean,
    private readonly minSweepSize = 1024,
  ) {
    this.compactAt = minSweepSize;
  }

  get size(): number {
    return this.times.length;
  }

  push(time: number, payload: P, tag = 0): void {
    this.insert(time, this.nextSeq++, payload, tag);
    if (this.canFire !== undefined && this.times.length >= this.compactAt) this.compact();
  }

  /** Drops the timers that can never fire, then restores the heap order (Floyd, O(n)). */
  private compact(): void {
    const canFire = this.canFire!;
    const { times, seqs, payloads, tags } = this;
    let kept = 0;
    for (let i = 0; i < times.length; i++) {
      if (!canFire(payloads[i]!, tags[i]!)) continue;
      times[kept] = times[i]!;
      seqs[kept] = seqs[i]!;
      payloads[kept] = payloads[i]!;
      tags[kept] = tags[i]!;
      kept++;
    }
    times.length = kept;
    seqs.length = kept;
    payloads.length = kept;
    tags.length = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i);
    this.compactAt = Math.max(this.minSweepSize, 2 * kept);
  }

  /**
   * The live timers as `[time, seq, id]` in firing order, for a checkpoint;
   * `idOf` names a payload, or returns undefined for a timer that can never
   * fire again (lazily deleted), which is left out.
   */
  snapshot(idOf: (payload: P, tag: number) => number | undefined): HeapSnapshot {
    const timers: [number, number, number][] = [];
    for (let i = 0; i < this.times.length; i++) {
      const id = idOf(this.payloads[i]!, this.tags[i]!);
      if (id !== undefined) timers.push([this.times[i]!, this.seqs[i]!, id]);
    }
    timers.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return { nextSeq: this.nextSeq, timers };
  }

  /**
   * Replaces the heap's timers with a {@link snapshot}'s, in the same firing
   * order; `payloadOf` resolves the ids. Restored timers carry tag 0.
   */
  load(snapshot: HeapSnapshot, payloadOf: (id: number) => P): void {
    this.times.length = 0;
    this.seqs.length = 0;
    this.payloads.length = 0;
    this.tags.length = 0;
    for (const [time, seq, id] of snapshot.timers) this.insert(time, seq, payloadOf(id), 0);
    this.nextSeq = snapshot.nextSeq;
  }

  private insert(time: number, seq: number, payload: P, tag: number): void {
    const { times, seqs, payloads, tags } = this;
    let i = times.length;
    times.push(time);
    seqs.push(seq);
    payloads.push(payload);
    tags.push(tag);
    // Sift up: move parents down until the new timer's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent]!;
      if (pt < time || (pt === time && seqs[parent]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent]!;
      payloads[i] = payloads[parent]!;
      tags[i] = tags[parent]!;
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = payload;
    tags[i] = tag;
  }

  /**
   * The earliest queued time, or undefined when the heap is empty. A lower
   * bound of the next firing: the timer there may be one that can no longer
   * fire (deletion is lazy), and popping it then hands over nothing.
   */
  peekTime(): number | undefined {
    return this.times[0];
  }

  /** Pops and hands over, in order, every timer with `time <= until`, including ones pushed meanwhile. */
  popUntil(until: number, fire: (payload: P, time: number, tag: number) => void): void {
    const times = this.times;
    while (times.length > 0 && times[0]! <= until) {
      const time = times[0]!;
      const payload = this.payloads[0]!;
      const tag = this.tags[0]!;
      this.removeTop();
      fire(payload, time, tag);
    }
  }

  private removeTop(): void {
    const { times, seqs, payloads, tags } = this;
    const time = times.pop()!;
    const seq = seqs.pop()!;
    const payload = payloads.pop()!;
    const tag = tags.pop()!;
    if (times.length === 0) return;
    times[0] = time;
    seqs[0] = seq;
    payloads[0] = payload;
    tags[0] = tag;
    this.siftDown(0);
  }

  /** Moves the timer at `start` down until both children are later. */
  private siftDown(start: number): void {
    const { times, seqs, payloads, tags } = this;
    const time = times[start]!;
    const seq = seqs[start]!;
    const payload = payloads[start]!;
    const tag = tags[start]!;
    const n = times.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (
        right < n &&
        (times[right]! < times[left]! ||
          (times[right] === times[left] && seqs[right]! < seqs[left]!))
      )
        child = right;
      const ct = times[child]!;
      if (time < ct || (time === ct && seq < seqs[child]!)) break;
      times[i] = ct;
      seqs[i] = seqs[child]!;
      payloads[i] = payloads[child]!;
      tags[i] = tags[child]!;
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = payload;
    tags[i] = tag;
  }
}
