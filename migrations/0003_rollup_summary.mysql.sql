-- A precomputed summary per rollup row: for each measure field
-- [n, sum, min, max, p50, p95, p99], computed from the row's sketch whenever
-- the row is written. A dashboard at a stored grain over all of the rollup's
-- dimensions has one rollup row per point and answers from this small column
-- without parsing sketches; rows written before this migration have NULL and
-- are answered from measures_json as before.
ALTER TABLE rollups ADD COLUMN summary_json TEXT NULL;
