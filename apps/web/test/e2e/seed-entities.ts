import { entityFeaturesInOrder } from '@weft/engine';
import type { IdentityEdgeInput } from '@weft/storage';
import type { Session, Template } from '@weft/templates';

/**
 * What the correlator stores for a template with an `entities` section, for
 * seeding: each session with the entity features it was evaluated with
 * (@weft/engine's batch mode, point in time) as its `entity.<kind>.<feature>`
 * fields, and the identity edges between the entities seen in the same
 * sessions. The verdicts are left as the seed decided them.
 */
export function withEntityFeatures(template: Template, sessions: readonly Session[]): Session[] {
  const features = entityFeaturesInOrder(template, sessions);
  return sessions.map((session) => {
    const values = features.get(session.sessionId) ?? {};
    const fields = { ...session.fields };
    for (const [kind, byFeature] of Object.entries(values))
      for (const [feature, value] of Object.entries(byFeature))
        fields[`entity.${kind}.${feature}`] = value;
    return { ...session, fields };
  });
}

/** Every pair of entities named by one session, with the sessions that linked them and when. */
export function identityEdgesOf(
  template: Template,
  sessions: readonly Session[],
  version = 1,
): IdentityEdgeInput[] {
  const kinds = template.entities?.kinds ?? [];
  const edges = new Map<string, IdentityEdgeInput>();
  for (const session of sessions) {
    const refs = kinds.flatMap((kind) => {
      const value = session.fields[kind.field];
      return value === null || value === undefined ? [] : [{ kind: kind.id, key: String(value) }];
    });
    for (let i = 0; i < refs.length; i++)
      for (let j = i + 1; j < refs.length; j++) {
        const [a, b] = [refs[i]!, refs[j]!];
        const id = `${a.kind}\u0000${a.key}\u0000${b.kind}\u0000${b.key}`;
        const edge = edges.get(id);
        if (edge) {
          edge.firstSeen = Math.min(edge.firstSeen, session.start);
          edge.lastSeen = Math.max(edge.lastSeen, session.start);
          edge.sessions += 1;
        } else {
          edges.set(id, {
            templateId: template.id,
            a,
            b,
            firstSeen: session.start,
            lastSeen: session.start,
            sessions: 1,
            version,
          });
        }
      }
  }
  return [...edges.values()];
}
