import type { RollupsTable } from '../schema.js';
import type { StoredGrain } from './contributions.js';
import type { MeasureState } from './measure-state.js';
import type { RollupRow } from './rollup-row.js';
import { summarize } from './rollup-summary.js';

export function rowToRollup(row: RollupsTable): RollupRow {
  return {
    key: row.rollup_key,
    rollupId: row.rollup_id,
    grain: row.grain as StoredGrain,
    bucketStart: Number(row.bucket_start),
    dimsJson: row.dims_json,
    count: Number(row.session_count),
    measures: JSON.parse(row.measures_json) as Record<string, MeasureState>,
  };
}

export function rollupToRow(row: RollupRow): RollupsTable {
  return {
    rollup_key: row.key,
    rollup_id: row.rollupId,
    grain: row.grain,
    bucket_start: row.bucketStart,
    dims_json: row.dimsJson,
    session_count: row.count,
    measures_json: JSON.stringify(row.measures),
    summary_json: JSON.stringify(summarize(row.measures)),
  };
}
