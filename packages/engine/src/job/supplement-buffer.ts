import type { FieldValue, SessionRecord } from '@weft/templates';
import type { ClosedBounds } from '../join/interval-bounds.js';
import { refAt } from '../snapshot/snapshot-encoding.js';
import { TimerHeap } from '../time/timer-heap.js';
import type { HeapSnapshot } from '../time/timer-heap.js';

/** A supplementary record waiting for a session that exposes its join key. */
export interface PendingSupplement {
  readonly node: string;
  readonly joinKey: string;
  readonly keys: Record<string, FieldValue>;
  readonly record: SessionRecord;
}

/** The waiting records as plain data; records are ids into the checkpoint's record table. */
export interface SupplementBufferSnapshot {
  readonly entries: readonly {
    readonly node: string;
    readonly joinKey: string;
    readonly keys: Record<string, FieldValue>;
    readonly record: number;
  }[];
  /** Expiry timers whose ids are indexes into `entries`. */
  readonly expiry: HeapSnapshot;
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

  /** The waiting records in their order, with their expiry timers (taken ones are left out). */
  snapshot(recordId: (record: SessionRecord) => number): SupplementBufferSnapshot {
    const entries: SupplementBufferSnapshot['entries'][number][] = [];
    const ids = new Map<Entry, number>();
    for (const list of this.byKey.values()) {
      for (const entry of list) {
        ids.set(entry, entries.length);
        const { node, joinKey, keys, record } = entry.pending;
        entries.push({ node, joinKey, keys, record: recordId(record) });
      }
    }
    return { entries, expiry: this.expiry.snapshot((entry) => ids.get(entry)) };
  }

  /** Replaces the buffer's contents with a {@link snapshot}'s. */
  load(snapshot: SupplementBufferSnapshot, recordOf: (id: number) => SessionRecord): void {
    this.byKey.clear();
    const entries = snapshot.entries.map((e): Entry => {
      const entry: Entry = {
        pending: { node: e.node, joinKey: e.joinKey, keys: e.keys, record: recordOf(e.record) },
        taken: false,
      };
      const slot = bufferKey(e.node, e.joinKey);
      const list = this.byKey.get(slot);
      if (list === undefined) this.byKey.set(slot, [entry]);
      else list.push(entry);
      return entry;
    });
    this.count = entries.length;
    this.expiry.load(snapshot.expiry, (id) => refAt(entries, id, 'pending supplement'));
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
