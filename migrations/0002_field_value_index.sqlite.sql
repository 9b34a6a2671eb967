-- One value index entry per field row instead of two, as in
-- 0002_field_value_index.mysql.sql (see there for why). SQLite has partial
-- indexes, and needs them here: its planner estimates `str_value IS NULL`
-- from the average over all values, so one composite index would make it
-- drive a search from a numeric range instead of the selective equality.
-- Strings and nulls (num_value IS NULL) and numbers and booleans
-- (num_value IS NOT NULL) each get their own index, each covering its
-- conditions; every row is in exactly one of them.
DROP INDEX IF EXISTS idx_session_fields_str;

DROP INDEX IF EXISTS idx_session_fields_num;

CREATE INDEX IF NOT EXISTS idx_session_fields_strings ON session_fields (field, value_kind, str_value, num_value) WHERE num_value IS NULL;

CREATE INDEX IF NOT EXISTS idx_session_fields_numbers ON session_fields (field, value_kind, num_value, str_value) WHERE num_value IS NOT NULL;
