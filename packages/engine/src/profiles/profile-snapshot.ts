import { z } from 'zod';
import { SnapshotFormatError, SnapshotMismatchError } from '../errors.js';
import { DistinctSketch, SKETCH_REGISTERS, type SketchSnapshot } from './distinct-sketch.js';
import { EntityProfile } from './entity-profile.js';
import { NUMERIC_SLOTS, type Bucket } from './profile-bucket.js';
import type { KindLayout } from './profile-layout.js';

export const PROFILE_SNAPSHOT_FORMAT = 'weft.profiles/1';

const SketchSchema = z.union([
  z.strictObject({ exact: z.array(z.number().int().nonnegative()) }),
  z.strictObject({
    registers: z.array(z.number().int().min(0).max(64)).length(SKETCH_REGISTERS),
  }),
]);

/** `[start, count, last, numeric slots…]` plus the sketches (null where a field had no value). */
const BucketSchema = z.strictObject({
  at: z.array(z.number()).min(3),
  sketches: z.array(SketchSchema.nullable()),
});

const KindSchema = z.strictObject({
  kind: z.string(),
  numericFields: z.array(z.string()),
  distinctFields: z.array(z.string()),
  granularities: z.array(z.number()),
  horizons: z.array(z.number()),
  /** key → per tier, its buckets oldest first. */
  entities: z.record(z.string(), z.array(z.array(BucketSchema))),
});

const ProfileSnapshotSchema = z.strictObject({
  format: z.literal(PROFILE_SNAPSHOT_FORMAT),
  /** Newest event time observed; null before the first observation. */
  frontier: z.number().nullable(),
  dropped: z.number().int().nonnegative(),
  kinds: z.array(KindSchema),
});

/** The plain-data state of a `ProfileStore`: what packages/storage persists. */
export type ProfileSnapshot = z.infer<typeof ProfileSnapshotSchema>;

/** One entity's buckets: per tier, oldest first (the value of `kinds[].entities[key]`). */
export type ProfileEntityState = z.infer<typeof BucketSchema>[][];

/**
 * One entity's state on its own, for saving entities one row each:
 * `state` null means the entity was forgotten (delete its row).
 */
export interface ProfileEntry {
  readonly kind: string;
  readonly key: string;
  readonly state: ProfileEntityState | null;
}

export function encodeEntity(profile: EntityProfile): ProfileEntityState {
  return profile.tiers.map((tier) =>
    tier.map((b) => ({
      at: [b.start, b.count, b.last, ...b.numeric],
      sketches: b.sketches.map((s): SketchSnapshot | null => s?.snapshot() ?? null),
    })),
  );
}

/**
 * A whole snapshot from a header (`ProfileStore.snapshotHeader()`: format,
 * frontier, dropped, layouts, no entities) and the entries saved one by one;
 * later entries of the same entity replace earlier ones, null ones remove it.
 *
 * @example ProfileStore.restore(profileSnapshotOf(header, rows), spec)
 */
export function profileSnapshotOf(
  header: ProfileSnapshot,
  entries: Iterable<ProfileEntry>,
): ProfileSnapshot {
  const kinds = header.kinds.map((k) => ({ ...k, entities: { ...k.entities } }));
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  for (const entry of entries) {
    const kind = byKind.get(entry.kind);
    if (kind === undefined)
      throw new SnapshotMismatchError(
        `an entry of entity kind "${entry.kind}" but the header declares [${header.kinds.map((k) => k.kind).join(', ')}]: save and restore entries with the header of the same store`,
      );
    if (entry.state === null) delete kind.entities[entry.key];
    else kind.entities[entry.key] = entry.state;
  }
  return { ...header, kinds };
}

export function encodeProfiles(
  layouts: ReadonlyMap<string, KindLayout>,
  entities: ReadonlyMap<string, ReadonlyMap<string, EntityProfile>>,
  frontier: number,
  dropped: number,
): ProfileSnapshot {
  return {
    format: PROFILE_SNAPSHOT_FORMAT,
    frontier: Number.isFinite(frontier) ? frontier : null,
    dropped,
    kinds: [...layouts.values()].map((layout) => {
      const out: Record<string, ProfileEntityState> = {};
      for (const [key, profile] of entities.get(layout.kind) ?? [])
        out[key] = encodeEntity(profile);
      return {
        kind: layout.kind,
        numericFields: [...layout.numericFields],
        distinctFields: [...layout.distinctFields],
        granularities: [...layout.granularities],
        horizons: [...layout.horizons],
        entities: out,
      };
    }),
  };
}

export interface DecodedProfiles {
  readonly frontier: number;
  readonly dropped: number;
  readonly entities: Map<string, Map<string, EntityProfile>>;
}

/**
 * Validates a snapshot and rebuilds the entity profiles. Throws
 * {@link SnapshotFormatError} for data that is not a profile snapshot and
 * {@link SnapshotMismatchError} for one taken under another profile spec.
 */
export function decodeProfiles(
  input: unknown,
  layouts: ReadonlyMap<string, KindLayout>,
): DecodedProfiles {
  const parsed = ProfileSnapshotSchema.safeParse(input);
  if (!parsed.success)
    throw new SnapshotFormatError(
      `not a ${PROFILE_SNAPSHOT_FORMAT} snapshot: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const snapshot = parsed.data;
  const entities = new Map<string, Map<string, EntityProfile>>();
  const kinds = snapshot.kinds.map((k) => k.kind).join(', ');
  if (snapshot.kinds.length !== layouts.size)
    throw new SnapshotMismatchError(
      `the snapshot holds entity kinds [${kinds}] but the spec declares [${[...layouts.keys()].join(', ')}]: restore with the spec it was taken under`,
    );
  for (const kind of snapshot.kinds) {
    const layout = layouts.get(kind.kind);
    if (layout === undefined || !sameLayout(layout, kind))
      throw new SnapshotMismatchError(
        `entity kind "${kind.kind}" was snapshotted with other features or buckets than the spec declares: restore with the spec it was taken under, or start its profiles afresh`,
      );
    const profiles = new Map<string, EntityProfile>();
    for (const [key, tiers] of Object.entries(kind.entities)) {
      if (tiers.length !== layout.granularities.length)
        throw new SnapshotFormatError(
          `${kind.kind} "${key}": ${String(tiers.length)} tiers, expected ${String(layout.granularities.length)}`,
        );
      profiles.set(
        key,
        new EntityProfile(tiers.map((tier) => tier.map((b) => decodeBucket(b, layout, key)))),
      );
    }
    entities.set(kind.kind, profiles);
  }
  return {
    frontier: snapshot.frontier ?? Number.NEGATIVE_INFINITY,
    dropped: snapshot.dropped,
    entities,
  };
}

function sameLayout(layout: KindLayout, kind: z.infer<typeof KindSchema>): boolean {
  const same = (a: readonly unknown[], b: readonly unknown[]) =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  return (
    same(layout.numericFields, kind.numericFields) &&
    same(layout.distinctFields, kind.distinctFields) &&
    same(layout.granularities, kind.granularities) &&
    same(layout.horizons, kind.horizons)
  );
}

function decodeBucket(data: z.infer<typeof BucketSchema>, layout: KindLayout, key: string): Bucket {
  const expected = 3 + layout.numericFields.length * NUMERIC_SLOTS;
  if (data.at.length !== expected || data.sketches.length !== layout.distinctFields.length)
    throw new SnapshotFormatError(
      `${layout.kind} "${key}": a bucket has ${String(data.at.length)} numbers and ${String(data.sketches.length)} sketches, expected ${String(expected)} and ${String(layout.distinctFields.length)}`,
    );
  const [start, count, last, ...numeric] = data.at as [number, number, number, ...number[]];
  return {
    start,
    count,
    last,
    numeric,
    sketches: data.sketches.map((s) => (s === null ? null : DistinctSketch.restore(s))),
  };
}
