-- Ingest's own copy of each dataset definition it has seen from Validation, so intake goes on while Validation is
-- down or restarting (stale-while-unavailable). Refreshed on every successful look-up.
CREATE TABLE dataset_copies (
    name         text PRIMARY KEY,
    definition   jsonb       NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now()
);
