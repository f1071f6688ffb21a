-- The run read model: one row per run, one row per stage it went through. Written only from bus events,
-- so it is rebuilt the same way whatever order or how many times they arrive.
CREATE TABLE runs (
    run_id          uuid PRIMARY KEY,
    dataset         text        NOT NULL,
    execution_date  date,
    status          text        NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    failed_stage    text,
    failure_reason  text,
    object_key      text,
    size_bytes      bigint,
    row_count       bigint,
    anomaly_count   bigint,
    device          text,
    model_version   text,
    reports         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    started_at      timestamptz NOT NULL,
    completed_at    timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_dataset_started ON runs (dataset, started_at DESC);
CREATE INDEX runs_status ON runs (status) WHERE status = 'running';

CREATE TABLE run_stages (
    run_id            uuid        NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    stage             text        NOT NULL,
    status            text        NOT NULL CHECK (status IN ('completed', 'failed')),
    started_at        timestamptz NOT NULL,
    completed_at      timestamptz NOT NULL,
    rows              bigint,
    peak_memory_bytes bigint,
    detail            text,
    PRIMARY KEY (run_id, stage)
);
