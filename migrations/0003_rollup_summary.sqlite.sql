-- A precomputed summary per rollup row: see 0003_rollup_summary.mysql.sql.
ALTER TABLE rollups ADD COLUMN summary_json TEXT NULL;
