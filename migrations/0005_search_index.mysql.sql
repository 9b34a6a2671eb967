-- A narrow index for the search's join: keyed by session_id (so the join
-- from a field seek is an eq_ref on it) and carrying every column the
-- search filters and sorts on, so finding, filtering and ordering a page of
-- matches never reads the wide session rows (their JSON columns); only the
-- page's sessions are read whole afterwards.
CREATE INDEX idx_sessions_search ON sessions (session_id, start_time, template_id, merged_into, verdict);
