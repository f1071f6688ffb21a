-- Every streamed event's verdict, not only the anomalous ones (Scoring:Events:KeepEveryScore), so that a user can
-- download all scores of a stream since a moment (GET /api/datasets/{name}/events/scores.csv) and draw their own ROC or
-- choose a threshold. The same columns as event_anomalies.
CREATE TABLE event_scores (
    batch_id      uuid             NOT NULL REFERENCES event_batches (batch_id),
    event_index   integer          NOT NULL,
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
CREATE INDEX event_scores_by_dataset ON event_scores (dataset, persisted_at);
