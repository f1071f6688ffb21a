-- Transactional outbox: a message is written in the same transaction as the run it announces, so a 202 means the
-- run will be published whatever the broker is doing; OutboxPublisher drains the table and deletes what it published.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id          uuid        NOT NULL REFERENCES runs (run_id),
    message_type    text        NOT NULL,
    body            jsonb       NOT NULL,
    trace_parent    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id);

-- Idempotency-Key of batch submissions, kept with the run: the key answers with its run while the request it came
-- with is the same (request_sha256: execution date + content); another request under the same key is refused.
CREATE TABLE idempotency_keys (
    dataset         text        NOT NULL,
    key             text        NOT NULL,
    run_id          uuid        NOT NULL REFERENCES runs (run_id),
    request_sha256  text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (dataset, key)
);
