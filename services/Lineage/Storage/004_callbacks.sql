-- Completion callbacks: one per run that asked for one (callbackUrl on its batch), sent once the run has ended and
-- retried with back-off; the outcome of the latest attempt stays for GET /api/runs/{id}.
CREATE TABLE callbacks (
    run_id           uuid        PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
    dataset          text        NOT NULL,
    url              text        NOT NULL,
    state            text        NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'delivered', 'gave_up')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status_code integer,
    last_error       text,
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX callbacks_due ON callbacks (next_attempt_at) WHERE state = 'waiting';
