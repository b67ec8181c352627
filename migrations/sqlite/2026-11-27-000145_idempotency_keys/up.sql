-- Idempotency-Keys of authenticated callers (issue #16, docs/idempotency.md): one row per
-- (caller, key), written in the transaction of the record it created, so that a retry with the
-- same key gets the original answer and creates nothing. The key itself is not stored, only its
-- SHA-256 (`key_hash`); `fingerprint` is the SHA-256 of the request (route, path and body, or
-- the uploaded file's hash). `response_status` and `response_body` are the answer given the
-- first time. Rows are removed after `expires_at` by the periodic retention job.
CREATE TABLE idempotency_keys (
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    route TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (actor_kind, actor_id, key_hash)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
