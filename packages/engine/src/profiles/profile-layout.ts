import {
  checkProfileSpec,
  DEFAULT_GRANULARITIES,
  DEFAULT_QUERY_LAG,
  windowTier,
  type EntitySpec,
  type FeatureWindow,
  type ProfileSpec,
} from './profile-spec.js';

/**
 * How one entity kind's history is bucketed. Tier k holds buckets of
 * `granularities[k]` ms aligned to multiples of it. A tier-k bucket whose end is
 * at or before `frontier − horizons[k]` moves into tier k + 1 (the last tier
 * drops it): recent time is fine-grained, older time coarse, nothing older
 * than the last horizon is kept. Horizons are derived from the declared
 * windows so that every window of a query at most `queryLag` behind the
 * frontier only meets buckets that lie wholly inside or wholly outside it.
 */
export interface KindLayout {
  readonly kind: string;
  readonly granularities: readonly number[];
  readonly horizons: readonly number[];
  readonly queryLag: number;
  /** Fields read by sum/min/max, in a fixed order (bucket slots). */
  readonly numericFields: readonly string[];
  /** Fields read by distinct, in a fixed order (sketch slots). */
  readonly distinctFields: readonly string[];
}

/** The half-open event-time range `[from, to)` a window covers for one query. */
export interface WindowBounds {
  readonly from: number;
  readonly to: number;
}

const floorTo = (value: number, step: number) => Math.floor(value / step) * step;

/**
 * The records a window reads as of `t`: `[from, to)` with
 * `to = floor((t − offset) / gEnd) · gEnd` and `from = floor((t − offset − last) / g) · g`,
 * where `g` is the window's granularity (the coarsest tier ≤ last / 24) and
 * `gEnd` is the finest tier for windows ending now (offset 0) or `g` otherwise.
 * So a window never reads a record after `t`, leaves out the records of `t`'s
 * own finest bucket, and reaches back at most one `g` further than `last`.
 *
 * @example windowBounds([60_000, 3_600_000], { last: 3_600_000, offset: 0 }, 7_230_000) // { from: 3_600_000, to: 7_200_000 }
 */
export function windowBounds(
  granularities: readonly number[],
  window: FeatureWindow,
  t: number,
): WindowBounds {
  const g = granularities[windowTier(granularities, window.last)] as number;
  const end = t - window.offset;
  const gEnd = window.offset === 0 ? (granularities[0] as number) : g;
  return { from: floorTo(end - window.last, g), to: floorTo(end, gEnd) };
}

/** Derives every entity kind's layout from the spec (validated first). */
export function layoutsOf(spec: ProfileSpec): Map<string, KindLayout> {
  checkProfileSpec(spec);
  const granularities = spec.granularities ?? DEFAULT_GRANULARITIES;
  const queryLag = spec.queryLag ?? DEFAULT_QUERY_LAG;
  return new Map(spec.entities.map((e) => [e.id, kindLayout(e, granularities, queryLag)]));
}

function kindLayout(
  entity: EntitySpec,
  granularities: readonly number[],
  queryLag: number,
): KindLayout {
  const last = granularities.length - 1;
  const horizons = granularities.map(() => 0);
  // A window ending now aligns its end to the finest tier, so that tier must reach back past the lag.
  horizons[0] = queryLag + (granularities[0] as number);
  for (const { window } of entity.features) {
    const tier = windowTier(granularities, window.last);
    const reach = queryLag + window.offset + window.last + (granularities[tier] as number);
    horizons[tier] = Math.max(horizons[tier] as number, reach);
    horizons[last] = Math.max(horizons[last] as number, reach, queryLag + (window.retain ?? 0));
  }
  for (let k = 1; k <= last; k++)
    horizons[k] = Math.max(horizons[k] as number, horizons[k - 1] as number);
  const numericFields = new Set<string>();
  const distinctFields = new Set<string>();
  for (const feature of entity.features) {
    if (feature.field === undefined) continue;
    if (feature.aggregate === 'distinct') distinctFields.add(feature.field);
    else numericFields.add(feature.field);
  }
  return {
    kind: entity.id,
    granularities,
    horizons,
    queryLag,
    numericFields: [...numericFields],
    distinctFields: [...distinctFields],
  };
}
