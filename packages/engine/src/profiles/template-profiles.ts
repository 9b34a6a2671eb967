import { isWindowed, type Session, type Template } from '@weft/templates';
import type { FeatureValue } from './entity-profile.js';
import { IdentityGraph, type EntityRef } from './identity-graph.js';
import type { ProfileSpec } from './profile-spec.js';
import { ProfileStore } from './profile-store.js';

/** One entity a session names, at the time it is observed (the `at` node's first record, or the session start). */
export interface SessionObservation {
  readonly kind: string;
  readonly key: string;
  readonly time: number;
}

/** Feature values by entity kind, then feature name, as of each kind's observation time. */
export type EntityFeatureValues = Record<string, Record<string, FeatureValue>>;

/**
 * The profile spec of a template's `entities` section (windowed features
 * only; graph features read the identity graph), or null without one.
 *
 * @example new ProfileStore(profileSpecOf(template)!)
 */
export function profileSpecOf(template: Template): ProfileSpec | null {
  const entities = template.entities;
  if (entities === undefined) return null;
  return {
    queryLag: entities.queryLag,
    entities: entities.kinds.map((kind) => ({
      id: kind.id,
      features: kind.features.flatMap((f) =>
        isWindowed(f.agg) && f.window !== undefined
          ? [{ name: f.name, aggregate: f.agg, field: f.field, window: f.window }]
          : [],
      ),
    })),
  };
}

/** The entities a session names, each with its observation time; kinds whose key is null or whose `at` node is absent are left out. */
export function sessionObservations(template: Template, session: Session): SessionObservation[] {
  const out: SessionObservation[] = [];
  for (const kind of template.entities?.kinds ?? []) {
    const key = session.fields[kind.field];
    if (key === null || key === undefined) continue;
    let time = session.start;
    if (kind.at !== undefined) {
      const records = session.nodes.find((n) => n.node === kind.at)?.records ?? [];
      if (records.length === 0) continue;
      time = Math.min(...records.map((r) => r.eventTime));
    }
    out.push({ kind: kind.id, key: String(key), time });
  }
  return out;
}

/**
 * Keeps a template's entity profiles and identity graph. Read a session's
 * features before observing it; `entityFeaturesInOrder` does both for a
 * batch, in observation-time order.
 */
export class TemplateProfiles {
  readonly store: ProfileStore | null;
  readonly graph: IdentityGraph | null;

  constructor(readonly template: Template) {
    const spec = profileSpecOf(template);
    this.store = spec === null ? null : new ProfileStore(spec);
    const links = template.entities?.links;
    this.graph = links === undefined ? null : new IdentityGraph(links.retention);
  }

  /** The windowed features of one entity as of `time` (never reading a record after it). */
  windowed(seen: SessionObservation): Record<string, FeatureValue> {
    return this.store?.featuresAsOf(seen.kind, seen.key, seen.time) ?? {};
  }

  /** The graph features of one entity, as of everything linked so far. */
  linked(seen: SessionObservation): Record<string, FeatureValue> {
    const out: Record<string, FeatureValue> = {};
    const kind = this.template.entities?.kinds.find((k) => k.id === seen.kind);
    const ref: EntityRef = { kind: seen.kind, key: seen.key };
    for (const feature of kind?.features ?? []) {
      if (isWindowed(feature.agg) || this.graph === null) continue;
      const of = feature.of as string;
      out[feature.name] =
        feature.agg === 'component_size'
          ? this.graph.componentSize(ref)
          : feature.agg === 'component_count'
            ? this.graph.componentCount(ref, of)
            : this.graph.neighbours(ref, of);
    }
    return out;
  }

  /** Adds one entity observation of a session (its fields are the values features read). */
  observe(seen: SessionObservation, session: Session): void {
    this.store?.observe(seen.kind, seen.key, seen.time, session.fields);
  }

  /** Links every entity the session names (whether or not it was observed). */
  link(session: Session): void {
    const refs = sessionEntities(this.template, session);
    if (refs.length > 0) this.graph?.link(refs, session.start);
  }
}

/** The entities a session names: every kind whose key field is set. */
export function sessionEntities(template: Template, session: Session): EntityRef[] {
  return (template.entities?.kinds ?? []).flatMap((kind) => {
    const key = session.fields[kind.field];
    return key === null || key === undefined ? [] : [{ kind: kind.id, key: String(key) }];
  });
}

/**
 * Batch mode: every session's entity features as of each entity's
 * observation time, never reading a later record. Observations are taken in
 * time order (ties by session id, then kind order): each is read, then
 * added. A session's graph features are read, and the session linked, at
 * its earliest observation.
 *
 * @example entityFeaturesInOrder(template, latestSessions(events)).get(id)?.account?.payments_1h
 */
export function entityFeaturesInOrder(
  template: Template,
  sessions: Iterable<Session>,
): Map<string, EntityFeatureValues> {
  const profiles = new TemplateProfiles(template);
  interface Step {
    readonly session: Session;
    readonly seen: SessionObservation | null;
    readonly all: readonly SessionObservation[];
    readonly time: number;
    readonly order: number;
  }
  const steps: Step[] = [];
  for (const session of sessions) {
    const all = sessionObservations(template, session);
    all.forEach((seen, order) => steps.push({ session, seen, all, time: seen.time, order }));
    // A session observed for no kind still links the entities it names.
    if (all.length === 0) steps.push({ session, seen: null, all, time: session.start, order: 0 });
  }
  steps.sort(
    (a, b) =>
      a.time - b.time ||
      (a.session.sessionId < b.session.sessionId
        ? -1
        : a.session.sessionId > b.session.sessionId
          ? 1
          : 0) ||
      a.order - b.order,
  );
  const out = new Map<string, EntityFeatureValues>();
  for (const { session, seen, all } of steps) {
    let values = out.get(session.sessionId);
    if (values === undefined) {
      values = {};
      for (const o of all) values[o.kind] = profiles.linked(o);
      out.set(session.sessionId, values);
      profiles.link(session);
    }
    if (seen === null) continue;
    values[seen.kind] = { ...profiles.windowed(seen), ...values[seen.kind] };
    profiles.observe(seen, session);
  }
  return out;
}
