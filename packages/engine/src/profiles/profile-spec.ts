import { InvalidOperatorConfigError } from '../errors.js';

/** What one feature aggregates over the observations of its entity. */
export type FeatureAggregate = 'count' | 'sum' | 'min' | 'max' | 'distinct' | 'last_seen';

/**
 * A window read backwards from the query time `t`: `last` long, ending `offset`
 * before `t` (0 = ends at `t`). `retain` keeps history that long even when this
 * window reads less (a 90-day store read through a 30-day view), so the view
 * can be widened later without losing data. All durations in ms.
 */
export interface FeatureWindow {
  readonly last: number;
  readonly offset: number;
  readonly retain?: number;
}

/** One feature of an entity, e.g. `{ name: 'payments_1h', aggregate: 'count', window: { last: 3_600_000, offset: 0 } }`. */
export interface FeatureSpec {
  readonly name: string;
  readonly aggregate: FeatureAggregate;
  /** The observed value it reads: numeric for sum/min/max, any scalar for distinct; none for count/last_seen. */
  readonly field?: string;
  readonly window: FeatureWindow;
}

/** An entity kind (account, device, card) and the features kept per entity of that kind. */
export interface EntitySpec {
  readonly id: string;
  readonly features: readonly FeatureSpec[];
}

/**
 * Everything a {@link ProfileStore} needs: the entity kinds with their
 * features, the bucket tiers (finest first, each dividing the next) and how far
 * behind the newest observed event time a point-in-time query may ask.
 */
export interface ProfileSpec {
  readonly entities: readonly EntitySpec[];
  /** Bucket granularities in ms, finest first; each divides the next. Default 1 min, 1 h, 1 d. */
  readonly granularities?: readonly number[];
  /** How far behind the newest event time a query may be and still be answered exactly. Default 1 h. */
  readonly queryLag?: number;
}

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const DEFAULT_GRANULARITIES: readonly number[] = [MINUTE, HOUR, DAY];
export const DEFAULT_QUERY_LAG = HOUR;

/** A window is read at the coarsest granularity at most 1/24 of its length (≤ ~4 % extra reach). */
const WINDOW_RESOLUTION = 24;

/**
 * Throws {@link InvalidOperatorConfigError} naming the first thing that cannot
 * work; the template validator reports the same problems with template paths.
 */
export function checkProfileSpec(spec: ProfileSpec): void {
  const granularities = spec.granularities ?? DEFAULT_GRANULARITIES;
  const fail = (message: string): never => {
    throw new InvalidOperatorConfigError(message);
  };
  if (granularities.length === 0) fail('granularities: give at least one bucket granularity');
  granularities.forEach((g, i) => {
    if (!Number.isSafeInteger(g) || g <= 0)
      fail(`granularities[${i}] = ${String(g)}: use a positive integer number of ms`);
    const previous = granularities[i - 1];
    if (previous !== undefined && (g <= previous || g % previous !== 0))
      fail(
        `granularities[${i}] = ${String(g)} must be a multiple of granularities[${i - 1}] = ${String(previous)} and larger`,
      );
  });
  const lag = spec.queryLag ?? DEFAULT_QUERY_LAG;
  if (!Number.isSafeInteger(lag) || lag < 0)
    fail(`queryLag = ${String(lag)}: use a non-negative integer number of ms`);
  const kinds = new Set<string>();
  for (const entity of spec.entities) {
    if (kinds.has(entity.id)) fail(`entity "${entity.id}" is declared twice`);
    kinds.add(entity.id);
    const names = new Set<string>();
    for (const feature of entity.features) {
      const where = `entity "${entity.id}" feature "${feature.name}"`;
      if (names.has(feature.name)) fail(`${where} is declared twice`);
      names.add(feature.name);
      const { last, offset, retain } = feature.window;
      if (!Number.isSafeInteger(last) || last <= 0)
        fail(`${where}: window.last = ${String(last)} must be a positive number of ms`);
      if (!Number.isSafeInteger(offset) || offset < 0)
        fail(`${where}: window.offset = ${String(offset)} must be a non-negative number of ms`);
      if (retain !== undefined && !(Number.isSafeInteger(retain) && retain >= last + offset))
        fail(
          `${where}: window.retain = ${String(retain)} must be at least last + offset = ${String(last + offset)}`,
        );
      const needsField = feature.aggregate !== 'count' && feature.aggregate !== 'last_seen';
      if (needsField !== (feature.field !== undefined))
        fail(
          needsField
            ? `${where}: ${feature.aggregate} needs a field to aggregate`
            : `${where}: ${feature.aggregate} takes no field`,
        );
    }
  }
}

/** Index of the tier a window's lower bound is aligned to: the coarsest granularity ≤ last / 24. */
export function windowTier(granularities: readonly number[], last: number): number {
  let tier = 0;
  granularities.forEach((g, i) => {
    if (g * WINDOW_RESOLUTION <= last) tier = i;
  });
  return tier;
}
