-- One row per accepted batch. Content idempotency: the same dataset + execution date + content maps to one live run;
-- an explicit rerun supersedes the earlier one.
CREATE TABLE runs (
    run_id          uuid PRIMARY KEY,
    dataset         text        NOT NULL,
    execution_date  date        NOT NULL,
    content_type    text        NOT NULL,
    content_sha256  text        NOT NULL,
    size_bytes      bigint      NOT NULL,
    object_key      text        NOT NULL,
    status          text        NOT NULL,
    failure_reason  text,
    superseded_by   uuid REFERENCES runs (run_id) DEFERRABLE INITIALLY DEFERRED,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX runs_live_content ON runs (dataset, execution_date, content_sha256) WHERE superseded_by IS NULL;
CREATE INDEX runs_dataset_created ON runs (dataset, created_at DESC);
