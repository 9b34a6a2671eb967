-- Writer epochs: per template, the lowest epoch no writer has claimed yet.
-- A live correlator run (and a backfill) claims an epoch when it starts and
-- stores every session and entity row at version epoch × 1,000,000 + its
-- own count, so the newest writer's rows win the "higher version wins"
-- upserts. Kept here rather than only beside a run's checkpoints, so that a
-- run on a new checkpoint directory (a new machine, a rebuild) still takes
-- an epoch above every earlier run's. claimed_at: wall-clock ms of the
-- newest claim, for operators.
CREATE TABLE IF NOT EXISTS writer_epochs (
  template_id VARCHAR(128) NOT NULL,
  next_epoch BIGINT NOT NULL,
  claimed_at BIGINT NOT NULL,
  PRIMARY KEY (template_id)
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
