-- Rollups are backfilled in batches: see 0008_rollup_backfill.mysql.sql.
ALTER TABLE rollup_specs ADD COLUMN backfill_until INTEGER NULL;
