-- Domain events (issue #16): one row per state change of an application, licence, complaint,
-- inspection, violation, sanction or objection, written by the unit of work in the transaction
-- of the change (`service::Tx::audit`, from `domain::events::classify`). `data` holds ids and
-- states only.
--
-- Order of the feed: ids come from a sequence when the row is inserted, but transactions commit
-- in another order, so a reader that followed ids alone could pass an id whose transaction
-- commits later and miss it. `tx_seq` is the writing transaction's id; the feed returns only
-- events of transactions older than every transaction still running
-- (`pg_snapshot_xmin(pg_current_snapshot())`) and orders them by (tx_seq, id): an event that
-- becomes visible later always sorts after every event already returned.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    event_type TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    municipality_code TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    data TEXT NOT NULL,
    tx_seq BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint)
);
CREATE INDEX events_feed ON events (tx_seq, id);
