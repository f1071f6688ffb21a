-- What validation found, shown with the run.
ALTER TABLE runs
    ADD COLUMN dq_score        double precision,
    ADD COLUMN dq_dimensions   jsonb,
    ADD COLUMN rules_failed    integer,
    ADD COLUMN rules_checked   integer,
    ADD COLUMN drift           jsonb,
    ADD COLUMN reconciliation  jsonb,
    ADD COLUMN dataset_version integer;
