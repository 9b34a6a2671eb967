-- When each session row and each of its field and node rows was stored,
-- filled in by the server (DEFAULT CURRENT_TIMESTAMP: no cost to the writer).
-- TiDB's row TTL needs a DATE/DATETIME/TIMESTAMP column on every table it
-- expires, and the row-per-field tables have no time of their own; see
-- packages/storage/src/retention.ts for how the TTLs are staggered so a
-- session row always goes before its fields and nodes. MariaDB and MySQL
-- carry the columns unused (they purge in batches by end_time instead).
ALTER TABLE sessions ADD COLUMN stored_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP;

ALTER TABLE session_fields ADD COLUMN stored_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP;

ALTER TABLE session_nodes ADD COLUMN stored_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP;
