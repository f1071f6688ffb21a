-- Every scoring of a run: by the active model (primary) and, beside it, by a model under test (shadow), so the two
-- can be compared before promotion; with the feature drift (PSI) each saw.
CREATE TABLE scores (
    run_id          uuid        NOT NULL,
    model_version   integer     NOT NULL,
    role            text        NOT NULL CHECK (role IN ('primary', 'shadow')),
    decision_counts jsonb       NOT NULL,
    anomaly_count   bigint      NOT NULL,
    feature_drift   jsonb       NOT NULL,
    scored_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, model_version)
);
