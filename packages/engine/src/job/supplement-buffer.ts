import type { FieldValue, SessionRecord } from '@weft/templates';
import type { ClosedBounds } from '../join/interval-bounds.js';
import { TimerHeap } from '../time/timer-heap.js';

/** A supplementary record waiting for a session that exposes its join key. */
export interface PendingSupplement {
  readonly node: string;
  readonly joinKey: string;
  readonly keys: Record<string, FieldValue>;
  readonly record: SessionRecord;
}

interface Entry {
  readonly pending: PendingSupplement;
  taken: boolean;
}

/**
 * The right side of the supplement interval join: records buffered by
 * (supplement, join key) until a session attaches them, or until the
 * watermark passes the last time a session could still expose its key
 * (`ts - lower + waitMs`), when they become orphans.
 */
export class SupplementBuffer {
  private readonly byKey = new Map<string, Entry[]>();
  private readonly expiry = new TimerHeap<Entry>();
  private count = 0;

  constructor(private readonly waitMs: number) {}

  get size(): number {
    return this.count;
  }

  add(pending: PendingSupplement, bounds: ClosedBounds): void {
    const entry: Entry = { pending, taken: false };
    const slot = bufferKey(pending.node, pending.joinKey);
    const list = this.byKey.get(slot);
    // A duplicated line has the same record id: it waits (and is orphaned) once.
    if (list?.some((e) => e.pending.record.recordId === pending.record.recordId)) return;
    if (list === undefined) this.byKey.set(slot, [entry]);
    else list.push(entry);
    this.expiry.push(pending.record.eventTime - bounds.lowerMs + this.waitMs, entry);
    this.count++;
  }

  /** Offers every pending record of (node, key) to `accept`; the accepted ones leave the buffer. */
  take(node: string, joinKey: string, accept: (pending: PendingSupplement) => boolean): void {
    const slot = bufferKey(node, joinKey);
    const list = this.byKey.get(slot);
    if (list === undefined) return;
    const kept = list.filter((entry) => {
      if (!accept(entry.pending)) return true;
      entry.taken = true;
      this.count--;
      return false;
    });
    if (kept.length === 0) this.byKey.delete(slot);
    else this.byKey.set(slot, kept);
  }

  /** Hands over, as orphans, the records whose wait ended at or before `watermark`. */
  expire(watermark: number, orphan: (pending: PendingSupplement) => void): void {
    this.expiry.popUntil(watermark, (entry) => {
      if (entry.taken) return;
      entry.taken = true;
      this.count--;
      const slot = bufferKey(entry.pending.node, entry.pending.joinKey);
      const rest = (this.byKey.get(slot) ?? []).filter((e) => e !== entry);
      if (rest.length === 0) this.byKey.delete(slot);
      else this.byKey.set(slot, rest);
      orphan(entry.pending);
    });
  }
}

function bufferKey(node: string, joinKey: string): string {
  return `${node}\u0000${joinKey}`;
}
