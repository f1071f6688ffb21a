-- Dataset definitions, versioned: a changed definition gets the next version; runs record the version they used.
CREATE TABLE datasets (
    name            text PRIMARY KEY,
    current_version integer     NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dataset_versions (
    name            text        NOT NULL REFERENCES datasets (name),
    version         integer     NOT NULL,
    definition      jsonb       NOT NULL,
    definition_hash text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

-- Accepted schemas per dataset: each batch whose schema changed without blocking drift becomes the next version.
CREATE TABLE schema_versions (
    dataset     text        NOT NULL,
    version     integer     NOT NULL,
    snapshot    jsonb       NOT NULL,
    run_id      uuid        NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, version)
);

-- One row per validated run: the outcome, the DQ score and everything the reports say, for queries and history.
CREATE TABLE validation_runs (
    run_id          uuid PRIMARY KEY,
    dataset         text        NOT NULL,
    dataset_version integer     NOT NULL,
    execution_date  date        NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('validated', 'blocked')),
    row_count       bigint      NOT NULL,
    dq_score        double precision,
    dimensions      jsonb       NOT NULL,
    rules           jsonb       NOT NULL,
    drift           jsonb       NOT NULL,
    reconciliation  jsonb,
    reports         jsonb       NOT NULL,
    schema_version  integer,
    validated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX validation_runs_dataset ON validation_runs (dataset, validated_at DESC);
