import type { Rng } from './prng.js';

/**
 * Samples ranks 0..n-1 with P(rank k) ∝ 1/(k+1)^exponent: a few users and items
 * take most of the traffic, as in real shops. Example:
 * `const users = zipf(10_000, 1.05); users(rng)`.
 */
export function zipf(n: number, exponent: number): (rng: Rng) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank += 1) {
    total += 1 / Math.pow(rank + 1, exponent);
    cumulative[rank] = total;
  }
  return (rng) => upperBound(cumulative, rng.next() * total);
}

/** Samples one of the keys with the given relative weights. */
export function weighted<K extends string>(weights: Readonly<Record<K, number>>): (rng: Rng) => K {
  const keys = Object.keys(weights) as K[];
  const cumulative = new Float64Array(keys.length);
  let total = 0;
  keys.forEach((key, index) => {
    total += weights[key];
    cumulative[index] = total;
  });
  return (rng) => keys[upperBound(cumulative, rng.next() * total)] as K;
}

/** First index whose cumulative value exceeds `target` (binary search). */
function upperBound(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cumulative[middle] as number) > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Start times of `count` sessions spread over `[startMs, startMs + spanMs)`
 * following a 24-hour traffic curve (weights per local hour, `utcOffsetHours`
 * from UTC). Session i lands in the i-th quantile stratum, so the times come
 * out already sorted and can be generated one at a time. Example:
 * `const at = diurnalTimes(1000, start, DAY, curve, 8); at(0, rng)`.
 */
export function diurnalTimes(
  count: number,
  startMs: number,
  spanMs: number,
  hourlyWeights: readonly number[],
  utcOffsetHours: number,
): (index: number, rng: Rng) => number {
  const minute = 60_000;
  const minutes = Math.max(1, Math.ceil(spanMs / minute));
  const cumulative = new Float64Array(minutes + 1);
  for (let m = 0; m < minutes; m += 1) {
    const localHour = Math.floor((startMs + m * minute) / 3_600_000 + utcOffsetHours);
    const weight = hourlyWeights[((localHour % 24) + 24) % 24] ?? 1;
    cumulative[m + 1] = (cumulative[m] as number) + weight;
  }
  const total = cumulative[minutes] as number;
  return (index, rng) => {
    const target = ((index + rng.next()) / count) * total;
    const m = Math.max(0, upperBound(cumulative, target) - 1);
    const low = cumulative[m] as number;
    const high = cumulative[m + 1] as number;
    const fraction = high > low ? (target - low) / (high - low) : 0;
    return Math.min(startMs + spanMs - 1, Math.floor(startMs + (m + fraction) * minute));
  };
}

/** Clamps a duration drawn from a heavy-tailed distribution into [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
