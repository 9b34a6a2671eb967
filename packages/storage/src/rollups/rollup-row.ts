import type { RowDelta, StoredGrain } from './contributions.js';
import type { MeasureState } from './measure-state.js';
import { emptyMeasure, mergeMeasure } from './measure-state.js';
import { mergeSketch } from './sketch.js';

/** One rollup row in domain form: a bucket × dimension values, with its measures. */
export interface RollupRow {
  key: string;
  rollupId: string;
  grain: StoredGrain;
  bucketStart: number;
  dimsJson: string;
  count: number;
  measures: Record<string, MeasureState>;
}

/** What applying a delta decided: the row to write, to delete, or to rebuild from raw sessions. */
export type DeltaOutcome =
  | { kind: 'write'; row: RollupRow }
  | { kind: 'delete'; key: string }
  | { kind: 'recompute'; delta: RowDelta };

/**
 * Applies a signed delta to the stored row (undefined when absent). Counts,
 * sums and sketches subtract exactly; a min or max cannot, so a row whose
 * extreme is retracted without an equal-or-better replacement is rebuilt
 * from the raw sessions instead.
 */
export function applyDelta(stored: RollupRow | undefined, delta: RowDelta): DeltaOutcome {
  const row: RollupRow = stored === undefined ? rowFromDelta(delta) : cloneRow(stored);
  row.count += delta.count;
  if (row.count === 0) return { kind: 'delete', key: delta.key };
  if (row.count < 0) return { kind: 'recompute', delta };
  const fields = new Set([...Object.keys(delta.added), ...Object.keys(delta.removed)]);
  for (const field of fields) {
    const next = applyMeasureDelta(row.measures[field], delta.added[field], delta.removed[field]);
    if (next === 'recompute') return { kind: 'recompute', delta };
    if (next === null) delete row.measures[field];
    else row.measures[field] = next;
  }
  return { kind: 'write', row };
}

function applyMeasureDelta(
  stored: MeasureState | undefined,
  added: MeasureState | undefined,
  removed: MeasureState | undefined,
): MeasureState | null | 'recompute' {
  const state = stored === undefined ? emptyMeasure() : cloneMeasure(stored);
  if (removed !== undefined) {
    if (state.n < removed.n || losesExtreme(state, added, removed)) return 'recompute';
    state.n -= removed.n;
    state.sum -= removed.sum;
    mergeSketch(state.s, removed.s, -1);
  }
  if (added !== undefined) mergeMeasure(state, added);
  if (state.n === 0) return null;
  return state;
}

/** True when a removed value was the min (max) and no added value is at least as extreme. */
function losesExtreme(state: MeasureState, added: MeasureState | undefined, removed: MeasureState) {
  const addedMin = added?.min ?? null;
  const addedMax = added?.max ?? null;
  const lowGone =
    removed.min !== null &&
    state.min !== null &&
    removed.min <= state.min &&
    (addedMin === null || addedMin > removed.min);
  const highGone =
    removed.max !== null &&
    state.max !== null &&
    removed.max >= state.max &&
    (addedMax === null || addedMax < removed.max);
  return lowGone || highGone;
}

function rowFromDelta(delta: RowDelta): RollupRow {
  return {
    key: delta.key,
    rollupId: delta.rollupId,
    grain: delta.grain,
    bucketStart: delta.bucketStart,
    dimsJson: delta.dimsJson,
    count: 0,
    measures: {},
  };
}

function cloneRow(row: RollupRow): RollupRow {
  const measures: Record<string, MeasureState> = {};
  for (const [field, state] of Object.entries(row.measures)) measures[field] = cloneMeasure(state);
  return { ...row, measures };
}

function cloneMeasure(state: MeasureState): MeasureState {
  return { ...state, s: { z: state.s.z, p: { ...state.s.p }, n: { ...state.s.n } } };
}
