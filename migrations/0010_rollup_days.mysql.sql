-- Day rows for rollups: a 90-day dashboard at day grain reads 90 rows per
-- dimension combination instead of merging 2,160 hour rows.
-- grains: the stored grains of a rollup's rows (m minute, h hour, d day).
-- Rollups defined from this version on store 'mhd'; those defined before
-- keep 'mh' (no day rows exist for them) and their day dashboards are
-- still merged from hours.
ALTER TABLE rollup_specs ADD COLUMN grains VARCHAR(8) NOT NULL DEFAULT 'mh';
