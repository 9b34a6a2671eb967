import { sessionStartOf } from '@weft/engine';
import type { Store } from '@weft/storage';
import type { Session, SessionRetraction } from '@weft/templates';
import type { Sink, SinkBatch } from './sink.js';

/** The part of the store the wrapper reads (narrow, so tests can pass a stand-in). */
export interface SupersedeStore {
  sessions: Pick<Store['sessions'], 'liveVersions'>;
}

/**
 * Retracts stored sessions that a session in the batch supersedes: live
 * sessions of the same template and business key whose window start (read
 * from their id) lies within the new session's baseline records, and which
 * the batch does not write itself. Each is retracted `mergedInto` the
 * session that covers it, one version above the stored one.
 *
 * In a consistent store no such session exists: two sessions of one key
 * whose windows meet are one session (the job merges them and retracts the
 * absorbed one itself). They are left behind by a crashed run: it stored a
 * session under an id its replay never emits — e.g. it fired a session before
 * reading an earlier record that the replay, interleaving partitions
 * differently, read in time (or merged through the late side queue). Such a
 * leftover holds a subset of the records of one session of the replay, so
 * its start is one of that session's baseline record times, and the
 * replay's next version of that session retracts it.
 *
 * @example const sink = withSupersededRetractions(createStoreSink(store), store);
 */
export function withSupersededRetractions(inner: Sink, store: SupersedeStore): Sink {
  return {
    async write(batch: SinkBatch): Promise<void> {
      const superseded = await supersededBy(store, batch);
      await inner.write(
        superseded.length === 0
          ? batch
          : { ...batch, retractions: [...batch.retractions, ...superseded] },
      );
    },
  };
}

async function supersededBy(store: SupersedeStore, batch: SinkBatch): Promise<SessionRetraction[]> {
  const written = new Set(batch.sessions.map((s) => s.sessionId));
  const retracted = new Set(batch.retractions.map((r) => r.sessionId));
  const byTemplate = new Map<string, Session[]>();
  for (const session of batch.sessions) {
    if (session.mergedInto !== null) continue;
    const list = byTemplate.get(session.templateId) ?? [];
    list.push(session);
    byTemplate.set(session.templateId, list);
  }
  const out: SessionRetraction[] = [];
  for (const [templateId, sessions] of byTemplate) {
    const spans = new Map<string, { session: Session; from: number; to: number }[]>();
    for (const session of sessions) {
      const span = baselineSpan(session);
      if (span === null) continue;
      const list = spans.get(session.businessKey) ?? [];
      list.push({ session, ...span });
      spans.set(session.businessKey, list);
    }
    if (spans.size === 0) continue;
    const live = await store.sessions.liveVersions(templateId, [...spans.keys()]);
    for (const stored of live) {
      if (written.has(stored.sessionId) || retracted.has(stored.sessionId)) continue;
      const start = sessionStartOf(templateId, stored.businessKey, stored.sessionId);
      if (start === null) continue;
      const cover = spans
        .get(stored.businessKey)
        ?.find((span) => span.from <= start && start <= span.to);
      if (cover === undefined) continue;
      retracted.add(stored.sessionId);
      out.push({
        sessionId: stored.sessionId,
        templateId,
        mergedInto: cover.session.sessionId,
        version: stored.version + 1,
      });
    }
  }
  return out;
}

/** The event times of a session's first and last baseline record, or null without any. */
function baselineSpan(session: Session): { from: number; to: number } | null {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const node of session.nodes) {
    if (node.kind !== 'baseline') continue;
    for (const record of node.records) {
      if (record.eventTime < from) from = record.eventTime;
      if (record.eventTime > to) to = record.eventTime;
    }
  }
  return from === Number.POSITIVE_INFINITY ? null : { from, to };
}
