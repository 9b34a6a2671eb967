-- Each field row carries its session's start time, and both partial value
-- indexes end with it (then the primary key's session_id): see
-- 0007_field_start_time.mysql.sql for why. Every search condition still
-- names its NULL column, so it stays a covered seek on the partial index of
-- its kind, now ordered newest first after the value.
ALTER TABLE session_fields ADD COLUMN start_time INTEGER NOT NULL DEFAULT 0;

UPDATE session_fields SET start_time = (SELECT s.start_time FROM sessions s WHERE s.session_id = session_fields.session_id);

DROP INDEX IF EXISTS idx_session_fields_strings;

DROP INDEX IF EXISTS idx_session_fields_numbers;

CREATE INDEX IF NOT EXISTS idx_session_fields_strings_time ON session_fields (field, value_kind, str_value, num_value, start_time) WHERE num_value IS NULL;

CREATE INDEX IF NOT EXISTS idx_session_fields_numbers_time ON session_fields (field, value_kind, num_value, str_value, start_time) WHERE num_value IS NOT NULL;
