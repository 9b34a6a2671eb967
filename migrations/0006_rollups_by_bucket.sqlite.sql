-- Rollup rows clustered by (rollup, grain, bucket) instead of by their hash:
-- see 0006_rollups_by_bucket.mysql.sql. SQLite cannot change a primary key
-- in place either, so the table is copied.
CREATE TABLE rollups_by_bucket (
  rollup_key TEXT NOT NULL,
  rollup_id TEXT NOT NULL,
  grain TEXT NOT NULL,
  bucket_start INTEGER NOT NULL,
  dims_json TEXT NOT NULL,
  session_count INTEGER NOT NULL,
  measures_json TEXT NOT NULL,
  summary_json TEXT NULL,
  PRIMARY KEY (rollup_id, grain, bucket_start, rollup_key)
) WITHOUT ROWID;

INSERT INTO rollups_by_bucket (rollup_key, rollup_id, grain, bucket_start, dims_json, session_count, measures_json, summary_json)
SELECT rollup_key, rollup_id, grain, bucket_start, dims_json, session_count, measures_json, summary_json FROM rollups;

DROP TABLE rollups;

ALTER TABLE rollups_by_bucket RENAME TO rollups;

CREATE UNIQUE INDEX uq_rollups_key ON rollups (rollup_key);
