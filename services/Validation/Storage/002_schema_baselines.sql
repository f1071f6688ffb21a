-- Schema baselines under the user's control. A baseline row records where it came from: 'batch' (the first batch of a
-- dataset, a batch that refined a declared schema, or a batch under driftPolicy evolve), 'accepted' (POST .../schema/accept
-- with a run id) or 'reset' (POST .../schema/reset: back to the registered expected schema; a reset row without a snapshot
-- means "no baseline": the expected schema, or the next batch, takes its place).
ALTER TABLE schema_versions ADD COLUMN origin text NOT NULL DEFAULT 'batch' CHECK (origin IN ('batch', 'accepted', 'reset'));
ALTER TABLE schema_versions ALTER COLUMN snapshot DROP NOT NULL;
ALTER TABLE schema_versions ALTER COLUMN run_id DROP NOT NULL;

-- The schema each run's batch had, so that any validated or blocked run can later be accepted as the baseline.
ALTER TABLE validation_runs ADD COLUMN observed_schema jsonb;
