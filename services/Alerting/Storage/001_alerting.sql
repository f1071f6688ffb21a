-- Alert policies per dataset. definition is the registered JSON (conditions, channels, throttle window).
CREATE TABLE policies (
    policy_id   uuid PRIMARY KEY,
    dataset     text        NOT NULL,
    name        text        NOT NULL,
    definition  jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (dataset, name)
);

-- Runs as Alerting sees them: started by BatchIngested, ended by BatchScored or RunFailed. The stuck-run sweeper
-- looks for open ones; stuck_at records when a run was first found open too long.
CREATE TABLE runs (
    run_id          uuid PRIMARY KEY,
    dataset         text        NOT NULL,
    execution_date  date,
    started_at      timestamptz,
    ended_at        timestamptz,
    outcome         text CHECK (outcome IN ('completed', 'failed')),
    stuck_at        timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX runs_open ON runs (dataset, started_at) WHERE ended_at IS NULL;
CREATE INDEX runs_stuck ON runs (dataset, stuck_at DESC) WHERE stuck_at IS NOT NULL;

-- One alert per (run, policy, trigger): the run's outcome, or the run being stuck. A suppressed alert (every
-- condition throttled) is kept too, so the history shows it. policy_id has no foreign key: alerts outlive policies.
CREATE TABLE alerts (
    alert_id    uuid PRIMARY KEY,
    run_id      uuid        NOT NULL,
    dataset     text        NOT NULL,
    policy_id   uuid        NOT NULL,
    policy_name text        NOT NULL,
    trigger     text        NOT NULL CHECK (trigger IN ('outcome', 'stuck')),
    severity    text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('pending', 'sent', 'suppressed', 'failed')),
    message     jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, policy_id, trigger)
);
CREATE INDEX alerts_dataset_created ON alerts (dataset, created_at DESC);
CREATE INDEX alerts_created ON alerts (created_at DESC);

-- One delivery per channel of an alert. The unique key makes sending idempotent per (run, policy, channel) for each
-- trigger: a redelivered event finds its deliveries already there. next_attempt_at doubles as the lease of the
-- worker that claimed it, so a delivery whose worker died becomes due again.
CREATE TABLE deliveries (
    alert_id        uuid        NOT NULL REFERENCES alerts (alert_id) ON DELETE CASCADE,
    channel         text        NOT NULL,
    run_id          uuid        NOT NULL,
    policy_id       uuid        NOT NULL,
    trigger         text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('webhook', 'slack', 'email')),
    definition      jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    sent_at         timestamptz,
    PRIMARY KEY (alert_id, channel),
    UNIQUE (run_id, policy_id, channel, trigger)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';

-- Deliveries that failed their last attempt, with the exact payload, for a person (or a replay) to pick up.
CREATE TABLE dead_letters (
    alert_id    uuid        NOT NULL,
    channel     text        NOT NULL,
    run_id      uuid        NOT NULL,
    dataset     text        NOT NULL,
    kind        text        NOT NULL,
    target      text        NOT NULL,
    payload     text        NOT NULL,
    error       text        NOT NULL,
    attempts    integer     NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX dead_letters_dataset_failed ON dead_letters (dataset, failed_at DESC);
