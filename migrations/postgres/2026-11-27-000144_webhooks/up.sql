-- Webhooks (issue #16): subscriptions of API clients, the deliveries the dispatcher fans out from
-- the event feed, every attempt of a delivery, and the dispatcher's one cursor in the feed.
-- The signing secret is not stored: it is derived from the server key
-- (HUURTOEZICHT_WEBHOOK_KEY), the subscription id and secret_version.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    municipality_code TEXT NOT NULL,
    callback_url TEXT NOT NULL,
    -- Event type codes separated by spaces.
    event_types TEXT NOT NULL,
    description TEXT,
    state TEXT NOT NULL,
    secret_version INTEGER NOT NULL,
    consecutive_dead_letters INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    paused_at TIMESTAMP
);
CREATE INDEX webhook_subscriptions_client ON webhook_subscriptions (client_id, id);
CREATE INDEX webhook_subscriptions_municipality ON webhook_subscriptions (municipality_code, id);

-- seq: the dispatcher's position (increasing in the order of the feed); "earlier" for the order
-- per subject. body: the CloudEvents envelope as sent (ids and states only).
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    seq BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (subscription_id, subject, seq);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, seq);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    status_code INTEGER,
    latency_ms INTEGER NOT NULL,
    error TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);

-- One row: the last event fanned out, and how many deliveries were numbered so far. Advanced
-- with a compare-and-set in the transaction that inserts the deliveries (exactly once with
-- several instances).
CREATE TABLE webhook_dispatch (
    id TEXT PRIMARY KEY NOT NULL,
    after_event BIGINT,
    position BIGINT NOT NULL
);
INSERT INTO webhook_dispatch (id, after_event, position) VALUES ('events', NULL, 0);
