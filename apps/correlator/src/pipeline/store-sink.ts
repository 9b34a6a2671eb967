import type { Store } from '@weft/storage';
import { chunkSessionBatch } from '@weft/storage';
import type { Sink, SinkBatch } from './sink.js';

/** The part of the store a sink writes through (narrow, so tests can pass a stand-in). */
export interface SinkStore {
  sessions: Pick<Store['sessions'], 'upsert'>;
  deadLetters: Pick<Store['deadLetters'], 'add'>;
  orphans: Pick<Store['orphans'], 'add'>;
  lateQueue: Pick<Store['lateQueue'], 'enqueue'>;
}

/**
 * The Sink over @weft/storage: session versions and retractions go through
 * the versioned upsert (one transaction per chunk, rollups in the same
 * transaction), dead letters, orphans and — in embedded mode — late records
 * into their tables. Every one of these writes is idempotent in the store, so
 * a batch retried after a failure or replayed after a crash changes nothing twice.
 *
 * @example
 * const writer = new BatchingWriter({ sink: createStoreSink(store), ... });
 */
export function createStoreSink(store: SinkStore): Sink {
  return {
    async write(batch: SinkBatch): Promise<void> {
      if (batch.deadLetters.length > 0) await store.deadLetters.add(batch.deadLetters);
      if (batch.late.length > 0) await store.lateQueue.enqueue(batch.late);
      const changes = [...batch.sessions, ...batch.retractions];
      for (const chunk of chunkSessionBatch(changes)) await store.sessions.upsert(chunk);
      // Orphans after sessions: an operator never sees an orphan whose session is not stored yet.
      if (batch.orphans.length > 0) await store.orphans.add(batch.orphans);
    },
  };
}
