import { EntityProfile, type FeatureValue } from './entity-profile.js';
import type { ObservedValues } from './profile-bucket.js';
import { ProfileQueryTooOldError, UnknownProfileFeatureError } from './profile-errors.js';
import { layoutsOf, type KindLayout } from './profile-layout.js';
import type { EntitySpec, ProfileSpec } from './profile-spec.js';
import {
  decodeProfiles,
  encodeEntity,
  encodeProfiles,
  type ProfileEntry,
  type ProfileSnapshot,
} from './profile-snapshot.js';

/** Counters for monitoring and benchmarks. */
export interface ProfileStats {
  readonly entities: number;
  readonly buckets: number;
  /** Observations older than the longest retention when they arrived (never read by an answerable query). */
  readonly dropped: number;
}

/**
 * Per-entity behaviour features over sliding windows, answered point in time:
 * `featuresAsOf(kind, key, t)` reads only records before `t` (see
 * `windowBounds` for the exact boundaries), and gives the same answer in
 * whatever order the records arrived, as long as every record up to `t` has
 * arrived and `t` is at most `queryLag` behind the newest event time observed
 * (the frontier). Pure and deterministic: time is the records' event time.
 *
 * @example
 * const store = new ProfileStore({ entities: [{ id: 'account', features: [
 *   { name: 'payments_1h', aggregate: 'count', window: { last: 3_600_000, offset: 0 } }] }] });
 * store.observe('account', 'A1', paidAt, { amount: 6 });
 * store.featuresAsOf('account', 'A1', sessionTime).payments_1h;
 */
export class ProfileStore {
  private readonly layouts: Map<string, KindLayout>;
  private readonly kinds: Map<string, EntitySpec>;
  private readonly entities = new Map<string, Map<string, EntityProfile>>();
  private newest = Number.NEGATIVE_INFINITY;
  private droppedCount = 0;
  private sweepCursor: Iterator<[string, EntityProfile]> | null = null;
  /** Entities observed or forgotten since the last `takeChanged()`, by kind; null until its first call (no cost for stores that never save incrementally). */
  private changed: Map<string, Set<string>> | null = null;
  private sweepKind = 0;

  constructor(readonly spec: ProfileSpec) {
    this.layouts = layoutsOf(spec);
    this.kinds = new Map(spec.entities.map((e) => [e.id, e]));
    for (const kind of this.kinds.keys()) this.entities.set(kind, new Map());
  }

  /** The newest event time observed (−Infinity before the first observation). */
  get frontier(): number {
    return this.newest;
  }

  /**
   * Records that entity `key` of `kind` was seen at event time `time` with
   * `values` (the fields its features read). Returns false when the record is
   * older than everything kept (counted in `stats().dropped`).
   */
  observe(kind: string, key: string, time: number, values: ObservedValues = {}): boolean {
    const layout = this.layoutOf(kind);
    if (time > this.newest) this.newest = time;
    const profiles = this.entities.get(kind) as Map<string, EntityProfile>;
    let profile = profiles.get(key);
    if (profile === undefined) {
      profile = EntityProfile.empty(layout);
      profiles.set(key, profile);
    }
    const kept = profile.observe(layout, this.newest, time, values);
    this.markChanged(kind, key);
    if (!kept) {
      this.droppedCount += 1;
      if (profile.isEmpty) profiles.delete(key);
    }
    return kept;
  }

  /**
   * Every feature of entity `key` of `kind` as of event time `t`. An unknown
   * entity has count 0 and null extremes. Throws {@link ProfileQueryTooOldError}
   * when `t` is more than `queryLag` behind the frontier.
   */
  featuresAsOf(kind: string, key: string, t: number): Record<string, FeatureValue> {
    const layout = this.layoutOf(kind);
    if (t < this.newest - layout.queryLag)
      throw new ProfileQueryTooOldError(
        `features of ${kind} "${key}" as of ${String(t)} are ${String(this.newest - t)} ms behind the newest event time ${String(this.newest)}; the store answers at most queryLag = ${String(layout.queryLag)} ms back: raise queryLag or query in event-time order`,
      );
    const profile = this.entities.get(kind)?.get(key) ?? EntityProfile.empty(layout);
    profile.compact(layout, this.newest);
    const out: Record<string, FeatureValue> = {};
    for (const feature of (this.kinds.get(kind) as EntitySpec).features)
      out[feature.name] = profile.feature(layout, feature, t);
    return out;
  }

  /**
   * Compacts up to `budget` entities to the frontier and forgets those left
   * with no data; returns how many were forgotten. Call it regularly (e.g.
   * every N observations or at each checkpoint): it resumes where it stopped.
   */
  sweep(budget = Number.POSITIVE_INFINITY): number {
    const kinds = [...this.entities.keys()];
    let visited = 0;
    let forgotten = 0;
    for (let turns = 0; visited < budget && turns <= kinds.length;) {
      const kind = kinds[this.sweepKind % kinds.length] as string;
      const profiles = this.entities.get(kind) as Map<string, EntityProfile>;
      this.sweepCursor ??= profiles.entries();
      const next = this.sweepCursor.next();
      if (next.done === true) {
        this.sweepCursor = null;
        this.sweepKind = (this.sweepKind + 1) % kinds.length;
        turns += 1;
        continue;
      }
      const [key, profile] = next.value;
      profile.compact(this.layoutOf(kind), this.newest);
      if (profile.isEmpty) {
        profiles.delete(key);
        this.markChanged(kind, key);
        forgotten += 1;
      }
      visited += 1;
    }
    return forgotten;
  }

  stats(): ProfileStats {
    let entities = 0;
    let buckets = 0;
    for (const profiles of this.entities.values()) {
      entities += profiles.size;
      for (const profile of profiles.values()) buckets += profile.bucketCount;
    }
    return { entities, buckets, dropped: this.droppedCount };
  }

  /** The whole state as plain JSON-safe data (see `profile-snapshot.ts`). */
  snapshot(): ProfileSnapshot {
    return encodeProfiles(this.layouts, this.entities, this.newest, this.droppedCount);
  }

  /**
   * The snapshot without entities (format, frontier, dropped, layouts): with
   * the entries of {@link entries} or {@link takeChanged}, saved one row per
   * entity, `profileSnapshotOf(header, entries)` rebuilds a full snapshot.
   */
  snapshotHeader(): ProfileSnapshot {
    return encodeProfiles(this.layouts, new Map(), this.newest, this.droppedCount);
  }

  /** Every entity's state, one entry each. */
  entries(): ProfileEntry[] {
    const out: ProfileEntry[] = [];
    for (const [kind, profiles] of this.entities)
      for (const [key, profile] of profiles) out.push({ kind, key, state: encodeEntity(profile) });
    return out;
  }

  /**
   * The entities observed or forgotten (state null) since the last call:
   * what an incremental save writes, with a fresh {@link snapshotHeader}.
   * The first call returns every entity and starts tracking changes.
   * Compaction alone does not count as a change: a state saved before it
   * answers the same.
   */
  takeChanged(): ProfileEntry[] {
    if (this.changed === null) {
      this.changed = new Map();
      return this.entries();
    }
    const out: ProfileEntry[] = [];
    for (const [kind, keys] of this.changed) {
      const profiles = this.entities.get(kind) as Map<string, EntityProfile>;
      for (const key of keys) {
        const profile = profiles.get(key);
        out.push({ kind, key, state: profile === undefined ? null : encodeEntity(profile) });
      }
    }
    this.changed.clear();
    return out;
  }

  /** A store that continues exactly where the snapshot's was; the spec must be the same. */
  static restore(snapshot: unknown, spec: ProfileSpec): ProfileStore {
    const store = new ProfileStore(spec);
    const state = decodeProfiles(snapshot, store.layouts);
    store.newest = state.frontier;
    store.droppedCount = state.dropped;
    for (const [kind, profiles] of state.entities) store.entities.set(kind, profiles);
    return store;
  }

  private markChanged(kind: string, key: string): void {
    if (this.changed === null) return;
    let keys = this.changed.get(kind);
    if (keys === undefined) {
      keys = new Set();
      this.changed.set(kind, keys);
    }
    keys.add(key);
  }

  private layoutOf(kind: string): KindLayout {
    const layout = this.layouts.get(kind);
    if (layout === undefined)
      throw new UnknownProfileFeatureError(
        `entity kind "${kind}" is not declared; declared: ${[...this.layouts.keys()].join(', ') || '(none)'}`,
      );
    return layout;
  }
}
