-- A narrow covering index for the search's join: see 0005_search_index.mysql.sql.
CREATE INDEX IF NOT EXISTS idx_sessions_search ON sessions (session_id, start_time, template_id, merged_into, verdict);
