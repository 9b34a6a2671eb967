import type { Aggregation } from './rollup-spec.js';
import type { Sketch } from './sketch.js';
import { addToSketch, emptySketch, mergeSketch, quantile } from './sketch.js';

/** Everything needed to answer any aggregation of one measure over a bucket. */
export interface MeasureState {
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
  s: Sketch;
}

export function emptyMeasure(): MeasureState {
  return { n: 0, sum: 0, min: null, max: null, s: emptySketch() };
}

/** Adds one value. Mutates `state`. */
export function addValue(state: MeasureState, value: number): void {
  state.n += 1;
  state.sum += value;
  state.min = state.min === null ? value : Math.min(state.min, value);
  state.max = state.max === null ? value : Math.max(state.max, value);
  addToSketch(state.s, value, 1);
}

/** Adds another state (an additive merge: both sides only ever gained values). Mutates `into`. */
export function mergeMeasure(into: MeasureState, from: MeasureState): void {
  into.n += from.n;
  into.sum += from.sum;
  into.min = pick(into.min, from.min, Math.min);
  into.max = pick(into.max, from.max, Math.max);
  mergeSketch(into.s, from.s);
}

/** Answers one aggregation; null when the bucket holds no value of the measure. */
export function aggregate(state: MeasureState | undefined, agg: Aggregation): number | null {
  if (state === undefined || state.n === 0) return agg === 'count' ? 0 : null;
  switch (agg) {
    case 'count':
      return state.n;
    case 'sum':
      return state.sum;
    case 'avg':
      return state.sum / state.n;
    case 'min':
      return state.min;
    case 'max':
      return state.max;
    case 'p50':
      return quantile(state.s, 0.5);
    case 'p95':
      return quantile(state.s, 0.95);
    case 'p99':
      return quantile(state.s, 0.99);
  }
}

function pick(a: number | null, b: number | null, choose: (x: number, y: number) => number) {
  if (a === null) return b;
  if (b === null) return a;
  return choose(a, b);
}
