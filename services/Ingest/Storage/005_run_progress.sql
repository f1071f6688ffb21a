-- What Ingest hears back about its runs, for the redriver (Progress/RunRedriver): the message that announced the run,
-- the last sign of progress, the end, and how many times the run was announced again.
ALTER TABLE runs ADD COLUMN announcement jsonb;
ALTER TABLE runs ADD COLUMN progress_at  timestamptz;
ALTER TABLE runs ADD COLUMN ended_at     timestamptz;
ALTER TABLE runs ADD COLUMN redrives     integer NOT NULL DEFAULT 0;

-- Runs accepted before this migration have no announcement to send again: count them as ended.
UPDATE runs SET ended_at = created_at;

CREATE INDEX runs_open ON runs (created_at) WHERE ended_at IS NULL AND superseded_by IS NULL;
