-- Validated batches Scoring has seen (what training by run id reads), the model registry, and scored anomalies.
CREATE TABLE batches (
    run_id         uuid PRIMARY KEY,
    dataset        text        NOT NULL,
    execution_date date        NOT NULL,
    object_key     text        NOT NULL,
    content_type   text        NOT NULL,
    csv_delimiter  text        NOT NULL,
    key_columns    text[]      NOT NULL,
    defects_key    text,
    row_count      bigint      NOT NULL,
    seen_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE models (
    dataset      text        NOT NULL,
    version      integer     NOT NULL,
    status       text        NOT NULL CHECK (status IN ('testing', 'active', 'archived')),
    artefact_key text        NOT NULL,
    metrics      jsonb       NOT NULL,
    trained_from uuid        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    promoted_at  timestamptz,
    PRIMARY KEY (dataset, version)
);
CREATE UNIQUE INDEX models_one_active ON models (dataset) WHERE status = 'active';

-- model_version 0: scored without a model (statistical detector fitted on the batch itself).
CREATE TABLE anomalies (
    run_id        uuid             NOT NULL,
    model_version integer          NOT NULL,
    row_number    bigint           NOT NULL,
    record_key    jsonb            NOT NULL,
    risk          double precision NOT NULL,
    decision      text             NOT NULL,
    top_features  text[]           NOT NULL,
    PRIMARY KEY (run_id, model_version, row_number)
);
