-- API keys: the secret is never stored, only SHA-256(id ':' secret).
CREATE TABLE api_keys (
    id                        text PRIMARY KEY,
    name                      text NOT NULL,
    secret_hash               bytea NOT NULL,
    scopes                    text[] NOT NULL,
    rate_limit_capacity       integer NULL,
    rate_limit_refill_per_sec double precision NULL,
    created_at                timestamptz NOT NULL,
    revoked_at                timestamptz NULL
);
