-- Each field row carries its session's start time, and the value index
-- ends with it: (field, value_kind, str_value, num_value, start_time), with
-- the primary key's session_id appended by InnoDB.
--
-- Search: a condition that fixes the value (`=`, a boolean, a null) now
-- reads its matches newest first straight from the index, so a conjunctive
-- search walks the most selective such condition and stops after one page
-- instead of reading and sorting every match (migration 0005's join read
-- all ~1,000 matches of a merchant at 1M sessions, ~10,000 at 10M).
--
-- Writes: within one (field, value) the entries are ordered by time, so
-- sessions that arrive roughly in time order append to the tail of each
-- value's run instead of landing at a random place in it (the old order
-- was by session id), which keeps the index pages an upsert touches few
-- and hot.
--
-- The UPDATE copies the start times of the stored sessions in one
-- statement. On TiDB a large table exceeds the transaction size limit:
-- there, run it beforehand in batches (for example with non-transactional
-- DML, `BATCH ON session_id LIMIT 10000 UPDATE …`, TiDB ≥ 6.1) while no
-- correlator writes.
ALTER TABLE session_fields ADD COLUMN start_time BIGINT NOT NULL DEFAULT 0;

UPDATE session_fields f JOIN sessions s ON s.session_id = f.session_id SET f.start_time = s.start_time;

ALTER TABLE session_fields
  DROP INDEX idx_session_fields_value,
  ADD INDEX idx_session_fields_value_time (field, value_kind, str_value, num_value, start_time);
