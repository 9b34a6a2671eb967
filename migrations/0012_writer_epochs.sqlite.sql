-- Writer epochs: see 0012_writer_epochs.mysql.sql.
CREATE TABLE IF NOT EXISTS writer_epochs (
  template_id TEXT NOT NULL,
  next_epoch INTEGER NOT NULL,
  claimed_at INTEGER NOT NULL,
  PRIMARY KEY (template_id)
) WITHOUT ROWID;
