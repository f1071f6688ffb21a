-- The retraining loop (docs/retraining.md): each dataset's lifecycle policy, every automatic step taken, the facts of
-- every scoring that the daily model performance table is made of, and reviewers' verdicts on records.
CREATE TABLE model_policies (
    dataset    text        PRIMARY KEY,
    policy     jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- kind: retrain_triggered, retrained, retrain_failed, promoted, kept_in_testing, policy_changed.
CREATE TABLE model_events (
    id      bigserial   PRIMARY KEY,
    dataset text        NOT NULL,
    kind    text        NOT NULL,
    version integer,
    run_id  uuid,
    reason  text        NOT NULL,
    details jsonb       NOT NULL DEFAULT '{}',
    at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX model_events_by_dataset ON model_events (dataset, id);

-- One row per scoring of a run by a model version (primary or shadow; version 0 = no model), written after scoring.
CREATE TABLE model_scorings (
    run_id           uuid             NOT NULL,
    model_version    integer          NOT NULL,
    dataset          text             NOT NULL,
    role             text             NOT NULL CHECK (role IN ('primary', 'shadow')),
    day              date             NOT NULL,
    row_count        bigint           NOT NULL,
    review_count     bigint           NOT NULL,
    block_count      bigint           NOT NULL,
    latency_ms       double precision,
    review_threshold double precision NOT NULL,
    block_threshold  double precision NOT NULL,
    max_psi          double precision,
    scored_at        timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, model_version)
);
CREATE INDEX model_scorings_by_dataset ON model_scorings (dataset, day);
CREATE INDEX model_scorings_by_version ON model_scorings (dataset, model_version, role);

-- A reviewer's verdict on a record of a run (row_number one-based, as in anomalies); the latest verdict on a row wins.
CREATE TABLE feedback (
    run_id     uuid        NOT NULL,
    row_number bigint      NOT NULL,
    dataset    text        NOT NULL,
    record_key jsonb       NOT NULL,
    verdict    text        NOT NULL CHECK (verdict IN ('true_anomaly', 'false_alarm')),
    given_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, row_number)
);
