-- OpenLineage events derived from the bus messages of each run, stored as sent (jsonb) so that they can be replayed
-- to any OpenLineage backend (Marquez). One event per (run, job, transition): a redelivered message adds nothing.
CREATE TABLE openlineage_events (
    run_id      uuid        NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE, -- the Vigil run (the pipeline run)
    job         text        NOT NULL,                                            -- {dataset} or {dataset}.{stage}
    event_type  text        NOT NULL CHECK (event_type IN ('START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER')),
    event_time  timestamptz NOT NULL,
    ol_run_id   uuid        NOT NULL,                                            -- the event's run.runId
    event       jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, job, event_type)
);

-- Which datasets each job run read and wrote, from the events' inputs and outputs: what the lineage graph walks.
CREATE TABLE lineage_edges (
    run_id            uuid NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    job_namespace     text NOT NULL,
    job               text NOT NULL,
    direction         text NOT NULL CHECK (direction IN ('input', 'output')),
    dataset_namespace text NOT NULL,
    dataset_name      text NOT NULL,
    PRIMARY KEY (run_id, job_namespace, job, direction, dataset_namespace, dataset_name)
);
CREATE INDEX lineage_edges_dataset ON lineage_edges (dataset_name, dataset_namespace, direction);

-- Facts of the run that the events and the timeline show.
ALTER TABLE runs
    ADD COLUMN source_object_key text,
    ADD COLUMN decision_counts   jsonb;

-- The run list filters on started_at alone; history reads a dataset's runs by execution date.
CREATE INDEX runs_started ON runs (started_at DESC);
CREATE INDEX runs_dataset_execution ON runs (dataset, execution_date, started_at);
