import type { Session } from '@weft/templates';
import { copyEvaluation, enrichmentOf, evaluateContent, sessionOf } from './session-assembly.js';
import type { AssemblyContext, ContentEvaluation, SessionContent } from './session-assembly.js';
import type { Enrichment, LiveSession } from './live-session.js';
import type { JobProfiles } from './session-profiles.js';

/**
 * The next version of a live session, as emitted: derived fields and verdicts
 * are reused when content, enrichment and entity features are those of the
 * last evaluation (evaluation is a pure function of them); the emitted
 * containers are fresh.
 */
export function nextVersion(
  ctx: AssemblyContext,
  session: LiveSession,
  profiles: JobProfiles | null = null,
): Session {
  session.version += 1;
  const enrichment = ctx.enrich === undefined ? undefined : enrichmentOf(ctx, session.fields);
  // The profiles return the same object while the features are unchanged.
  const entities = profiles?.emitFeatures(session, enrichment);
  let evaluation: ContentEvaluation;
  const previous = session.evaluated;
  if (
    previous !== null &&
    sameEnrichment(previous.enrichment, enrichment) &&
    previous.entities === entities
  ) {
    evaluation = copyEvaluation(previous.evaluation);
  } else {
    const content: SessionContent = new Map(session.baseline);
    for (const [node, records] of session.supplements) content.set(node, records);
    evaluation = evaluateContent(ctx, content, enrichment, entities);
    session.evaluated = {
      evaluation: copyEvaluation(evaluation),
      enrichment,
      ...(entities === undefined ? {} : { entities }),
    };
  }
  return sessionOf(ctx, evaluation, {
    sessionId: session.id,
    businessKey: session.businessKey,
    version: session.version,
    status: session.status,
    fireReason: session.fireReason,
  });
}

function sameEnrichment(a: Enrichment, b: Enrichment): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!Object.is(a[key], b[key]) || !(key in b)) return false;
  return true;
}
