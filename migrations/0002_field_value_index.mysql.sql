-- One value index on session_fields instead of two.
-- 0001 indexed (field, str_value, template_id) and (field, num_value,
-- template_id): every field row, string or number, paid for both, and a
-- search still read the clustered row to check value_kind. The single index
-- (field, value_kind, str_value, num_value) answers every operator as a seek
-- (strings: field, kind, str_value; numbers and booleans: field, kind,
-- str_value IS NULL, num_value) and covers the check, so each upsert
-- maintains one secondary index per field row instead of two.
ALTER TABLE session_fields
  DROP INDEX idx_session_fields_str,
  DROP INDEX idx_session_fields_num,
  ADD INDEX idx_session_fields_value (field, value_kind, str_value, num_value);
