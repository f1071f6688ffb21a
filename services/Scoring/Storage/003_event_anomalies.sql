-- Streamed events, scored one micro-batch at a time. event_batches holds every scored micro-batch (also those without
-- anomalies): its size and the span of its accept times, so "accepted -> persisted" latency can be measured for all
-- events. persisted_at defaults to clock_timestamp(): the moment the row was written, not the transaction's start.
CREATE TABLE event_batches (
    batch_id          uuid        PRIMARY KEY,
    dataset           text        NOT NULL,
    event_count       integer     NOT NULL,
    anomaly_count     integer     NOT NULL,
    model_version     integer     NOT NULL, -- 0: no active model, the rolling z-score decided
    first_accepted_at timestamptz NOT NULL,
    last_accepted_at  timestamptz NOT NULL,
    scored_at         timestamptz NOT NULL,
    persisted_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX event_batches_by_dataset ON event_batches (dataset, persisted_at);

CREATE TABLE event_anomalies (
    batch_id      uuid             NOT NULL REFERENCES event_batches (batch_id),
    event_index   integer          NOT NULL, -- position in the micro-batch, from 0
    dataset       text             NOT NULL,
    event_key     jsonb            NOT NULL,
    entity        text,
    risk          double precision NOT NULL,
    decision      text             NOT NULL,
    top_features  text[]           NOT NULL,
    z_score       double precision NOT NULL,
    model_version integer          NOT NULL,
    accepted_at   timestamptz      NOT NULL,
    scored_at     timestamptz      NOT NULL,
    persisted_at  timestamptz      NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (batch_id, event_index)
);
CREATE INDEX event_anomalies_by_dataset ON event_anomalies (dataset, persisted_at);
