-- Rollups are backfilled in batches, without blocking writers.
-- backfill_until: the sessions of the template that start before it are
-- folded into the rollup; NULL once the backfill is done (so every rollup
-- defined before this migration, backfilled in one transaction, is done).
-- While it is set, upserts maintain the rollup only for sessions starting
-- before it, each backfill batch folds in the next sessions by start time
-- and moves it forward in the same transaction, and dashboards do not read
-- the rollup yet.
ALTER TABLE rollup_specs ADD COLUMN backfill_until BIGINT NULL;
