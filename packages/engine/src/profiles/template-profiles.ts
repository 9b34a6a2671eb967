import { isWindowed, type Session, type Template } from '@weft/templates';
import type { FeatureValue } from './entity-profile.js';
import { IdentityGraph, type EntityRef } from './identity-graph.js';
import type { ProfileSpec } from './profile-spec.js';
import { ProfileStore } from './profile-store.js';

/** One entity a session names, at the time it is observed (the `at` node's first record, or the session's first baseline record). */
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

/**
 * What the profiles need of a session: its fields (baseline and
 * enrichment), the time of each node's first record, and `start`, the time
 * of its first baseline record (not of a supplement, which may attach
 * after the session is observed).
 */
export interface SessionSubject {
  readonly fields: Readonly<Record<string, unknown>>;
  /** Event time of the node's first record, or undefined when the node has none. */
  readonly firstTimeOf: (node: string) => number | undefined;
  readonly start: number;
}

/** The entities a session names, each with its observation time; kinds whose key is null or whose `at` node is absent are left out. */
export function sessionObservations(template: Template, session: Session): SessionObservation[] {
  return observationsOf(template, subjectOf(session));
}

/** {@link sessionObservations} of a session that is not assembled yet (the correlation job's view). */
export function observationsOf(template: Template, subject: SessionSubject): SessionObservation[] {
  const out: SessionObservation[] = [];
  for (const kind of template.entities?.kinds ?? []) {
    const key = subject.fields[kind.field];
    if (key === null || key === undefined) continue;
    const time = kind.at === undefined ? subject.start : subject.firstTimeOf(kind.at);
    if (time === undefined) continue;
    out.push({ kind: kind.id, key: String(key), time });
  }
  return out;
}

function subjectOf(session: Session): SessionSubject {
  const firstTimeOf = (node: string): number | undefined => {
    const records = session.nodes.find((n) => n.node === node)?.records ?? [];
    return records.length === 0 ? undefined : Math.min(...records.map((r) => r.eventTime));
  };
  const baselineStarts = session.nodes
    .filter((n) => n.kind === 'baseline')
    .map((n) => firstTimeOf(n.node) as number);
  return {
    fields: session.fields,
    start: baselineStarts.length === 0 ? session.start : Math.min(...baselineStarts),
    firstTimeOf,
  };
}

/**
 * One step of feeding sessions to the profiles in observation-time order:
 * a session has one step per observation (or one that only links, when it is
 * observed for no kind). Steps run in {@link compareSteps} order.
 */
export interface ProfileStep {
  readonly sessionId: string;
  readonly time: number;
  readonly order: number;
  readonly seen: SessionObservation | null;
}

/** A session's steps: one per observation, or one at `start` that only links. */
export function sessionSteps(
  sessionId: string,
  observations: readonly SessionObservation[],
  start: number,
): ProfileStep[] {
  if (observations.length === 0) return [{ sessionId, time: start, order: 0, seen: null }];
  return observations.map((seen, order) => ({ sessionId, time: seen.time, order, seen }));
}

/** Time, then session id, then kind order: the one order batch and streaming both run steps in. */
export function compareSteps(a: ProfileStep, b: ProfileStep): number {
  return (
    a.time - b.time ||
    (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0) ||
    a.order - b.order
  );
}

/**
 * Keeps a template's entity profiles and identity graph. Read a session's
 * features before observing it; `entityFeaturesInOrder` does both for a
 * batch, in observation-time order.
 */
export class TemplateProfiles {
  readonly store: ProfileStore | null;
  readonly graph: IdentityGraph | null;

  /** Empty profiles, or `restored` ones (from `ProfileStore.restore` / `IdentityGraph.restore`). */
  constructor(
    readonly template: Template,
    restored?: { store: ProfileStore | null; graph: IdentityGraph | null },
  ) {
    if (restored !== undefined) {
      this.store = restored.store;
      this.graph = restored.graph;
      return;
    }
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

  private linkAndEvict(graph: IdentityGraph, refs: EntityRef[], time: number): void {
    const period = Math.max(1, Math.floor(graph.retention / EVICTIONS_PER_RETENTION));
    const before = graph.frontier;
    graph.link(refs, time);
    if (
      Number.isFinite(before) &&
      Math.floor(graph.frontier / period) > Math.floor(before / period)
    )
      graph.evict();
  }

  /**
   * Runs one step of a session (see {@link ProfileStep}) and records what it
   * read in `values`: at the session's first step, the graph features of
   * every kind it is observed for, then it links its entities; then the
   * step's windowed features, read before its observation is added.
   */
  runStep(
    step: ProfileStep,
    first: boolean,
    subject: SessionSubject,
    values: EntityFeatureValues,
  ): void {
    if (first) {
      for (const seen of observationsOf(this.template, subject))
        values[seen.kind] = this.linked(seen);
      const refs = subjectEntities(this.template, subject.fields);
      if (refs.length > 0 && this.graph !== null)
        this.linkAndEvict(this.graph, refs, subject.start);
    }
    const seen = step.seen;
    if (seen === null) return;
    values[seen.kind] = { ...this.windowed(seen), ...values[seen.kind] };
    this.store?.observe(seen.kind, seen.key, seen.time, subject.fields);
  }
}

/**
 * How often the graph forgets links older than its retention: each time its
 * frontier crosses a multiple of retention / 4. Derived from the link times
 * alone, so streaming and batch evict at the same step.
 */
const EVICTIONS_PER_RETENTION = 4;

/** The entities a session's fields name: every kind whose key field is set. */
function subjectEntities(template: Template, fields: SessionSubject['fields']): EntityRef[] {
  return (template.entities?.kinds ?? []).flatMap((kind) => {
    const key = fields[kind.field];
    return key === null || key === undefined ? [] : [{ kind: kind.id, key: String(key) }];
  });
}

/**
 * Batch mode: every session's entity features as of each entity's
 * observation time, never reading a later record. Observations are taken in
 * time order (ties by session id, then kind order): each is read, then
 * added. A session's graph features are read, and the session linked, at
 * its earliest observation. The correlation job runs the same steps in the
 * same order as the watermark settles them.
 *
 * @example entityFeaturesInOrder(template, latestSessions(events)).get(id)?.account?.payments_1h
 */
export function entityFeaturesInOrder(
  template: Template,
  sessions: Iterable<Session>,
): Map<string, EntityFeatureValues> {
  const profiles = new TemplateProfiles(template);
  const subjects = new Map<string, SessionSubject>();
  const steps: ProfileStep[] = [];
  for (const session of sessions) {
    const subject = subjectOf(session);
    subjects.set(session.sessionId, subject);
    steps.push(
      ...sessionSteps(session.sessionId, observationsOf(template, subject), subject.start),
    );
  }
  steps.sort(compareSteps);
  const out = new Map<string, EntityFeatureValues>();
  for (const step of steps) {
    let values = out.get(step.sessionId);
    const first = values === undefined;
    values ??= {};
    out.set(step.sessionId, values);
    profiles.runStep(step, first, subjects.get(step.sessionId) as SessionSubject, values);
  }
  return out;
}
