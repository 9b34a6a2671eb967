import { createHash } from 'node:crypto';
import type { FieldValue, Session } from '@weft/templates';
import type { MeasureState } from './measure-state.js';
import { addValue, emptyMeasure } from './measure-state.js';
import type { DefinedRollup } from './rollup-spec.js';

/** The part of a session a rollup reads. */
export type RollupSubject = Pick<
  Session,
  'start' | 'end' | 'fields' | 'verdict' | 'status' | 'fireReason' | 'templateVersion'
>;

/**
 * Rollup rows are stored per minute, hour and day (migration 0010). A
 * rollup defined before 0010 has no day rows (its grains are m and h):
 * its day dashboards are merged from hours.
 */
export type StoredGrain = 'm' | 'h' | 'd';
export const GRAIN_MS: Record<StoredGrain, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
/** The grains a rollup defined today stores. */
export const STORED_GRAINS: readonly StoredGrain[] = ['m', 'h', 'd'];

/** One session's (or a group of sessions') signed contribution to one rollup row. */
export interface RowDelta {
  key: string;
  rollupId: string;
  grain: StoredGrain;
  bucketStart: number;
  dimsJson: string;
  count: number;
  added: Record<string, MeasureState>;
  removed: Record<string, MeasureState>;
}

/** The value of a dimension or measure for a session (`$`-names are session attributes). */
export function subjectValue(subject: RollupSubject, name: string): FieldValue {
  switch (name) {
    case '$verdict':
      return subject.verdict?.conclusion ?? null;
    case '$severity':
      return subject.verdict?.severity ?? null;
    case '$status':
      return subject.status;
    case '$fireReason':
      return subject.fireReason;
    case '$templateVersion':
      return subject.templateVersion;
    case '$duration':
      return subject.end - subject.start;
    default:
      return subject.fields[name] ?? null;
  }
}

export function bucketOf(time: number, grainMs: number): number {
  return Math.floor(time / grainMs) * grainMs;
}

/** The primary key of a rollup row: one hash, so locking reads are a plain `IN` list. */
export function rollupKey(rollupId: string, grain: string, bucketStart: number, dimsJson: string) {
  return createHash('sha1')
    .update(`${rollupId}\u0000${grain}\u0000${bucketStart}\u0000${dimsJson}`)
    .digest('hex');
}

/**
 * Adds `sign` × the subject's contribution to every row it touches (one per
 * grain the rollup stores) into `deltas`, keyed by rollup key. Mutates `deltas`.
 */
export function addContribution(
  deltas: Map<string, RowDelta>,
  rollup: DefinedRollup,
  subject: RollupSubject,
  sign: 1 | -1,
): void {
  const dimsJson = JSON.stringify(rollup.dimensions.map((d) => subjectValue(subject, d)));
  for (const grain of rollup.grains) {
    const bucketStart = bucketOf(subject.start, GRAIN_MS[grain]);
    const key = rollupKey(rollup.rollupId, grain, bucketStart, dimsJson);
    let delta = deltas.get(key);
    if (delta === undefined) {
      delta = {
        key,
        rollupId: rollup.rollupId,
        grain,
        bucketStart,
        dimsJson,
        count: 0,
        added: {},
        removed: {},
      };
      deltas.set(key, delta);
    }
    delta.count += sign;
    const side = sign === 1 ? delta.added : delta.removed;
    for (const field of rollup.measureFields) {
      const value = subjectValue(subject, field);
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      addValue((side[field] ??= emptyMeasure()), value);
    }
  }
}
