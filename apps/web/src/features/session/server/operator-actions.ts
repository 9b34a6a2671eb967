import type { Store } from '@weft/storage';
import { compileTemplate } from '@weft/templates';
import { mergeSessions } from '../lib/merge';
import { templateOf } from './load-session';

export class SessionActionError extends Error {
  override name = 'SessionActionError' as const;
  constructor(
    readonly field: string,
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

/** Records an operator's judgement of a verdict (right or wrong, with a note). */
export async function annotateVerdict(
  store: Store,
  input: { sessionId: string; actor: string; correct: boolean; note: string; now: number },
) {
  const session = await store.sessions.get(input.sessionId);
  if (!session) throw new SessionActionError('sessionId', `No session ${input.sessionId}.`, 404);
  return store.operatorActions.record({
    sessionId: input.sessionId,
    action: 'annotate',
    actor: input.actor,
    at: input.now,
    payload: {
      verdict: session.verdict?.conclusion ?? null,
      correct: input.correct,
      note: input.note,
    },
  });
}

/**
 * Merges `otherSessionId` into `sessionId` (verdict recomputed with the
 * template), or records the decision to keep them apart.
 */
export async function mergeOrKeep(
  store: Store,
  input: {
    sessionId: string;
    otherSessionId: string;
    decision: 'merge' | 'keep';
    actor: string;
    now: number;
  },
) {
  if (input.sessionId === input.otherSessionId) {
    throw new SessionActionError('otherSessionId', 'A session cannot be merged with itself.');
  }
  const [into, other] = await Promise.all([
    store.sessions.get(input.sessionId),
    store.sessions.get(input.otherSessionId),
  ]);
  if (!into) throw new SessionActionError('sessionId', `No session ${input.sessionId}.`, 404);
  if (!other)
    throw new SessionActionError('otherSessionId', `No session ${input.otherSessionId}.`, 404);
  if (into.templateId !== other.templateId) {
    throw new SessionActionError(
      'otherSessionId',
      `Session ${other.sessionId} belongs to template ${other.templateId}, not ${into.templateId}.`,
    );
  }
  if (into.mergedInto || other.mergedInto) {
    throw new SessionActionError(
      'otherSessionId',
      'One of the sessions was already merged into another.',
      409,
    );
  }
  const payload = { otherSessionId: other.sessionId, decision: input.decision };
  if (input.decision === 'keep') {
    return store.operatorActions.record({
      sessionId: into.sessionId,
      action: 'split',
      actor: input.actor,
      at: input.now,
      payload,
    });
  }
  const template = await templateOf(store, into);
  const compiled = template ? compileTemplate(template) : null;
  const { survivor, retired } = mergeSessions(
    into,
    other,
    compiled && ((nodes) => compiled.evaluate({ nodes })),
  );
  await store.sessions.upsert([survivor, retired]);
  return store.operatorActions.record({
    sessionId: into.sessionId,
    action: 'merge',
    actor: input.actor,
    at: input.now,
    payload,
  });
}
