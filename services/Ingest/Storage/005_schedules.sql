-- Ingest's scheduler (Schedules/). One replica acts at a time: the one holding the lease row.
CREATE TABLE scheduler_lease (
    id          integer PRIMARY KEY CHECK (id = 1),
    holder      text        NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- The last tick each dataset's schedule acted on: after downtime only the latest missed tick runs, once.
CREATE TABLE schedule_state (
    dataset     text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('pull', 'retrain')),
    last_tick   timestamptz NOT NULL,
    PRIMARY KEY (dataset, kind)
);

-- What each tick (scheduled or backfilled) came to, written once it has ended. One live (not superseded) successful
-- row per dataset, kind and tick: running a tick again supersedes the earlier row, which points to the new one.
CREATE TABLE schedule_runs (
    id              uuid PRIMARY KEY,
    dataset         text        NOT NULL,
    kind            text        NOT NULL,
    tick            timestamptz NOT NULL,
    execution_date  date        NOT NULL,
    trigger         text        NOT NULL CHECK (trigger IN ('schedule', 'backfill')),
    outcome         text        NOT NULL CHECK (outcome IN ('accepted', 'unchanged', 'failed')),
    run_id          uuid,
    model_version   integer,
    reason          text,
    superseded_by   uuid REFERENCES schedule_runs (id) DEFERRABLE INITIALLY DEFERRED,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX schedule_runs_live ON schedule_runs (dataset, kind, tick) WHERE superseded_by IS NULL AND outcome <> 'failed';
CREATE INDEX schedule_runs_recent ON schedule_runs (dataset, finished_at DESC);
