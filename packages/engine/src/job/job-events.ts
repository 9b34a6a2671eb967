import type {
  DeadLetter,
  LateRecord,
  Orphan,
  Session,
  SessionRecord,
  SessionRetraction,
  Template,
} from '@weft/templates';

/** Everything the correlation job emits, in emission order. */
export type JobEvent =
  | { readonly type: 'session'; readonly session: Session }
  | { readonly type: 'retraction'; readonly retraction: SessionRetraction }
  | { readonly type: 'orphan'; readonly orphan: Orphan }
  | { readonly type: 'deadLetter'; readonly deadLetter: DeadLetter }
  | { readonly type: 'late'; readonly late: LateRecord };

/**
 * The sessions a downstream upsert store ends with: the highest version of
 * each session id, minus retracted ones, sorted by (businessKey, start, sessionId).
 */
export function latestSessions(events: Iterable<JobEvent>): Session[] {
  const latest = new Map<string, Session>();
  const retracted = new Set<string>();
  for (const event of events) {
    if (event.type === 'session') {
      const previous = latest.get(event.session.sessionId);
      if (previous === undefined || previous.version < event.session.version) {
        latest.set(event.session.sessionId, event.session);
      }
    } else if (event.type === 'retraction') retracted.add(event.retraction.sessionId);
  }
  return [...latest.values()]
    .filter((s) => !retracted.has(s.sessionId))
    .sort((a, b) =>
      a.businessKey !== b.businessKey
        ? a.businessKey < b.businessKey
          ? -1
          : 1
        : a.start - b.start || (a.sessionId < b.sessionId ? -1 : 1),
    );
}

/** A record behind the watermark, with its context for the late side queue (marked `late`). */
export function lateEvent(
  template: Template,
  context: Pick<LateRecord, 'node' | 'kind' | 'keys'> & { readonly record: SessionRecord },
): JobEvent {
  return {
    type: 'late',
    late: {
      templateId: template.id,
      templateVersion: template.version,
      node: context.node,
      kind: context.kind,
      keys: context.keys,
      record: { ...context.record, late: true },
    },
  };
}
