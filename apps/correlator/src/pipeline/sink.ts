import type { DeadLetter, LateRecord, Orphan, Session, SessionRetraction } from '@weft/templates';

/** Everything the correlator writes downstream, one item at a time. */
export type SinkItem =
  | { kind: 'session'; session: Session }
  | { kind: 'retraction'; retraction: SessionRetraction }
  | { kind: 'orphan'; orphan: Orphan }
  | { kind: 'deadLetter'; deadLetter: DeadLetter }
  | { kind: 'late'; late: LateRecord };

/** One write: what the batching writer accumulated, grouped by kind, in arrival order. */
export interface SinkBatch {
  /** At most one version per session id: the highest (the store keeps the highest anyway). */
  sessions: Session[];
  retractions: SessionRetraction[];
  orphans: Orphan[];
  deadLetters: DeadLetter[];
  late: LateRecord[];
}

/**
 * Where batches become durable: storage (sessions, retractions, orphans, dead
 * letters; rollups in the same transaction) and the late side queue.
 *
 * Contract: `write` resolves only once the whole batch is durable, and is
 * idempotent — after a failure or a crash the same batch (or a superset) is
 * written again, and versioned upserts make the repeat harmless.
 *
 * @example
 * const sink: Sink = { write: (batch) => store.writeBatch(batch) };
 */
export interface Sink {
  write(batch: SinkBatch): Promise<void>;
}

/** Groups items into a batch, keeping only the highest version of each session. */
export function toBatch(items: readonly SinkItem[]): SinkBatch {
  const batch: SinkBatch = {
    sessions: [],
    retractions: [],
    orphans: [],
    deadLetters: [],
    late: [],
  };
  const latest = new Map<string, Session>();
  for (const item of items) {
    switch (item.kind) {
      case 'session': {
        const seen = latest.get(item.session.sessionId);
        if (!seen || seen.version < item.session.version)
          latest.set(item.session.sessionId, item.session);
        break;
      }
      case 'retraction':
        batch.retractions.push(item.retraction);
        break;
      case 'orphan':
        batch.orphans.push(item.orphan);
        break;
      case 'deadLetter':
        batch.deadLetters.push(item.deadLetter);
        break;
      case 'late':
        batch.late.push(item.late);
        break;
    }
  }
  batch.sessions = [...latest.values()];
  return batch;
}

/** Number of items in a batch (for metrics and logs). */
export function batchSize(batch: SinkBatch): number {
  return (
    batch.sessions.length +
    batch.retractions.length +
    batch.orphans.length +
    batch.deadLetters.length +
    batch.late.length
  );
}
