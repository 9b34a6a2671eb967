import type { EntityFeatureInput, FieldValue, Template } from '@weft/templates';
import { z } from 'zod';
import { SnapshotMismatchError } from '../errors.js';
import { IdentityGraph, type IdentityGraphSnapshot } from '../profiles/identity-graph.js';
import { ProfileQueryTooOldError } from '../profiles/profile-errors.js';
import type { ProfileEntry, ProfileSnapshot } from '../profiles/profile-snapshot.js';
import { ProfileStore } from '../profiles/profile-store.js';
import {
  compareSteps,
  observationsOf,
  profileSpecOf,
  sessionSteps,
  TemplateProfiles,
  type EntityFeatureValues,
  type ProfileStep,
  type SessionObservation,
  type SessionSubject,
} from '../profiles/template-profiles.js';
import { TimerHeap } from '../time/timer-heap.js';
import type { SessionContent } from './session-assembly.js';

/**
 * A session's place in the profiles, created at its first emission.
 * `scheduled` once its window expired and its steps are queued; each step
 * that runs adds what it read to `values`; `pending` lists the kinds whose
 * step has not run (their windowed features are still read live).
 */
export interface SessionProfileState {
  scheduled: boolean;
  values: EntityFeatureValues;
  pending: string[];
  stepsLeft: number;
  /** The features of the last emitted version: settling re-emits only when they changed. */
  emitted: EntityFeatureValues;
}

export const SessionProfileSnapshotSchema = z.object({
  scheduled: z.boolean(),
  values: z.record(z.string(), z.record(z.string(), z.number().nullable())),
  pending: z.array(z.string()),
  stepsLeft: z.number().int().nonnegative(),
  emitted: z.record(z.string(), z.record(z.string(), z.number().nullable())),
});

/** `[time, session id, order, kind, key]`; kind and key are null for a step that only links. */
export type StepSnapshot = readonly [number, string, number, string | null, string | null];

export const JobProfilesSnapshotSchema = z.object({
  store: z.unknown(),
  graph: z.unknown(),
  steps: z.array(
    z.tuple([
      z.number(),
      z.string(),
      z.number().int(),
      z.string().nullable(),
      z.string().nullable(),
    ]),
  ),
});

/** The job's profiles as plain JSON: the store and graph snapshots (opaque formats) and the queued steps. */
export interface JobProfilesSnapshot {
  /** `weft.profiles/1`, or null when the template declares no windowed feature. */
  readonly store: ProfileSnapshot | null;
  /** `weft.identity-graph/1`, or null without `entities.links`. */
  readonly graph: IdentityGraphSnapshot | null;
  readonly steps: readonly StepSnapshot[];
}

/** What the profiles read of a live session: its id, merged baseline fields and baseline records. */
export interface ProfiledSession {
  readonly id: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly baseline: SessionContent;
  profile: SessionProfileState | null;
}

type Enrichment = Readonly<Record<string, FieldValue>> | undefined;

/**
 * The correlation job's entity profiles: the template's profile store and
 * identity graph, fed each session once, in observation-time order, as the
 * watermark settles them (README "Entity profiles in the job").
 *
 * - A session is **scheduled** when its window expires (the watermark passed
 *   its end plus the allowed lateness): its baseline, hence its entity
 *   keys, observed values and observation times, can no longer change.
 *   Firings before that only read features, and a session absorbed by a
 *   merge is never scheduled: nothing is counted twice.
 * - Its steps **run** once the watermark is `settleDelay` (gap + maxSpan +
 *   allowed lateness) past them: every session observed earlier has expired
 *   and is queued by then, so steps run in the order `entityFeaturesInOrder`
 *   runs them in batch, and each read sees exactly the sessions observed
 *   before it.
 * - Until then a version carries **provisional** features, read as of the
 *   session's observation time from the sessions settled so far (never a
 *   record after that time, but missing the most recent sessions). When its
 *   last step has run the session is **settled**; if that changed its
 *   features, the job emits one more version.
 */
export class JobProfiles {
  readonly settleDelay: number;
  private profiles: TemplateProfiles;
  private readonly steps = new TimerHeap<ProfileStep>();
  /** Bumped whenever a step changes the store or graph: a session's features read at the same epoch are still valid. */
  private epoch = 0;
  /**
   * The last features read per session (not checkpointed: a read is a pure
   * function of the profiles and the session). A session emits several
   * versions between watermark advances; a distinct count over a busy
   * entity merges dozens of 4,096-register sketches per read.
   */
  private readonly lastRead = new WeakMap<ProfiledSession, LastRead>();

  constructor(readonly template: Template) {
    const { gap, maxSpan, allowedLateness } = template.baseline;
    this.settleDelay = gap + maxSpan + allowedLateness;
    this.profiles = new TemplateProfiles(template);
  }

  /** The features the next version of `session` carries (settled ones, or provisional until then); remembers them as emitted. */
  emitFeatures(session: ProfiledSession, enrichment: Enrichment): EntityFeatureInput {
    const features = this.featuresOf(session, enrichment);
    if (session.profile === null)
      session.profile = {
        scheduled: false,
        values: {},
        pending: [],
        stepsLeft: 0,
        emitted: features,
      };
    else session.profile.emitted = features;
    return features;
  }

  /** Queues the steps of a session whose window expired; returns the watermark at which it is settled. */
  schedule(session: ProfiledSession, enrichment: Enrichment): number {
    const subject = subjectOf(session, enrichment);
    const observations = observationsOf(this.template, subject);
    const steps = sessionSteps(session.id, observations, subject.start);
    for (const step of steps) this.steps.push(step.time, step);
    session.profile = {
      scheduled: true,
      values: {},
      pending: observations.map((o) => o.kind),
      stepsLeft: steps.length,
      emitted: session.profile?.emitted ?? {},
    };
    return Math.max(...steps.map((s) => s.time)) + this.settleDelay;
  }

  /**
   * Runs the queued steps the watermark settled (time ≤ watermark −
   * settleDelay) in {@link compareSteps} order, and calls `settled` for each
   * session whose last step ran and whose features differ from those of its
   * last emitted version.
   */
  advance<S extends ProfiledSession>(
    watermark: number,
    sessionOf: (id: string) => S | undefined,
    enrichmentOf: (session: S) => Enrichment,
    settled: (session: S) => void,
  ): void {
    const due: ProfileStep[] = [];
    this.steps.popUntil(watermark - this.settleDelay, (step) => due.push(step));
    due.sort(compareSteps);
    // Forgets entities with nothing left in their windows, a few per step (answers are unchanged).
    if (due.length > 0) this.profiles.store?.sweep(2 * due.length);
    for (const step of due) {
      const session = sessionOf(step.sessionId);
      const state = session?.profile;
      if (session === undefined || state === null || state === undefined) continue;
      const enrichment = enrichmentOf(session);
      this.epoch += 1;
      const first = Object.keys(state.values).length === 0 && state.stepsLeft > 0;
      this.profiles.runStep(step, first, subjectOf(session, enrichment), state.values);
      const kind = step.seen?.kind;
      state.pending = state.pending.filter((k) => k !== kind);
      state.stepsLeft -= 1;
      if (state.stepsLeft > 0) continue;
      const features = this.featuresOf(session, enrichment);
      if (!sameFeatures(features, state.emitted)) settled(session);
    }
  }

  /** The profile store's header and the entities changed since the last call (the first call: all), for saving entity by entity; null without windowed features. */
  takeStoreChanges(): { header: ProfileSnapshot; entries: ProfileEntry[] } | null {
    const store = this.profiles.store;
    return store === null ? null : { header: store.snapshotHeader(), entries: store.takeChanged() };
  }

  snapshot(): JobProfilesSnapshot {
    const queued: ProfileStep[] = [];
    const heap = this.steps.snapshot((step) => queued.push(step) - 1);
    return {
      store: this.profiles.store?.snapshot() ?? null,
      graph: this.profiles.graph?.snapshot() ?? null,
      steps: heap.timers.map(([, , id]) => {
        const step = queued[id]!;
        return [
          step.time,
          step.sessionId,
          step.order,
          step.seen?.kind ?? null,
          step.seen?.key ?? null,
        ];
      }),
    };
  }

  /** Loads a {@link snapshot} taken with the same template (the store and graph check their own formats). */
  restore(snapshot: JobProfilesSnapshot): void {
    const spec = profileSpecOf(this.template);
    const links = this.template.entities?.links;
    if (
      (spec === null) !== (snapshot.store === null) ||
      (links === undefined) !== (snapshot.graph === null)
    )
      throw new SnapshotMismatchError(
        "the snapshot's entity profiles do not fit the template's entities section (windowed features or links added or removed): restore with the template version it was taken with",
      );
    this.profiles = new TemplateProfiles(this.template, {
      store: spec === null ? null : ProfileStore.restore(snapshot.store, spec),
      graph: links === undefined ? null : IdentityGraph.restore(snapshot.graph, links.retention),
    });
    for (const [time, sessionId, order, kind, key] of snapshot.steps)
      this.steps.push(time, {
        sessionId,
        time,
        order,
        seen: kind === null || key === null ? null : { kind, key, time },
      });
  }

  /** Settled values for kinds whose step ran; the others read now (windowed as of the observation time, graph as linked so far). */
  private featuresOf(session: ProfiledSession, enrichment: Enrichment): EntityFeatureValues {
    const state = session.profile;
    const observations = observationsOf(this.template, subjectOf(session, enrichment));
    // `pending` is replaced, never changed in place, when a session is scheduled or a step runs.
    const pending = state?.scheduled === true ? state.pending : null;
    const last = this.lastRead.get(session);
    if (
      last !== undefined &&
      last.epoch === this.epoch &&
      last.pending === pending &&
      sameObservations(last.observations, observations)
    )
      return last.features;
    const out: EntityFeatureValues = {};
    this.lastRead.set(session, { epoch: this.epoch, pending, observations, features: out });
    for (const seen of observations) {
      const settled = state?.scheduled === true ? state.values[seen.kind] : undefined;
      if (settled !== undefined && !state!.pending.includes(seen.kind)) out[seen.kind] = settled;
      else
        out[seen.kind] = { ...this.readWindowed(seen), ...(settled ?? this.profiles.linked(seen)) };
    }
    return out;
  }

  private readWindowed(seen: SessionObservation): EntityFeatureValues[string] {
    try {
      return this.profiles.windowed(seen);
    } catch (error) {
      // Older than the store answers (a session longer than maxSpan): no provisional value.
      if (error instanceof ProfileQueryTooOldError) return {};
      throw error;
    }
  }
}

/** The last features read for a session, with what they were read from. */
interface LastRead {
  readonly epoch: number;
  readonly pending: readonly string[] | null;
  readonly observations: readonly SessionObservation[];
  readonly features: EntityFeatureValues;
}

function sameObservations(
  a: readonly SessionObservation[],
  b: readonly SessionObservation[],
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind !== y.kind || x.key !== y.key || x.time !== y.time) return false;
  }
  return true;
}

/** Same kinds, feature names in the same order and values (what comparing their JSON would say; `Object.is` only differs for -0 and NaN, which features never are). */
function sameFeatures(a: EntityFeatureValues, b: EntityFeatureValues): boolean {
  const kinds = Object.keys(a);
  if (kinds.length !== Object.keys(b).length) return false;
  for (const kind of kinds) {
    const x = a[kind]!;
    const y = b[kind];
    if (y === undefined) return false;
    const names = Object.keys(x);
    const theirs = Object.keys(y);
    if (names.length !== theirs.length) return false;
    for (let i = 0; i < names.length; i++)
      if (names[i] !== theirs[i] || x[names[i]!] !== y[names[i]!]) return false;
  }
  return true;
}

/** A live session as the profiles see it: a class, not an object literal, so that a read allocates no closure. */
class LiveSubject implements SessionSubject {
  readonly start: number;

  constructor(
    private readonly baseline: SessionContent,
    readonly fields: Readonly<Record<string, FieldValue>>,
  ) {
    let start = Number.POSITIVE_INFINITY;
    for (const records of baseline.values())
      for (const r of records) if (r.eventTime < start) start = r.eventTime;
    this.start = start;
  }

  firstTimeOf(node: string): number | undefined {
    const records = this.baseline.get(node);
    if (records === undefined || records.length === 0) return undefined;
    let first = Number.POSITIVE_INFINITY;
    for (const r of records) if (r.eventTime < first) first = r.eventTime;
    return first;
  }
}

function subjectOf(session: ProfiledSession, enrichment: Enrichment): SessionSubject {
  return new LiveSubject(
    session.baseline,
    enrichment === undefined ? session.fields : { ...session.fields, ...enrichment },
  );
}
