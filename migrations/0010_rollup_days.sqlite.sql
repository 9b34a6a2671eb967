-- Day rows for rollups: see 0010_rollup_days.mysql.sql.
ALTER TABLE rollup_specs ADD COLUMN grains TEXT NOT NULL DEFAULT 'mh';
