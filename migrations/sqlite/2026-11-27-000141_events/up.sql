-- Domain events (issue #16): one row per state change of an application, licence, complaint,
-- inspection, violation, sanction or objection, written by the unit of work in the transaction
-- of the change (`service::Tx::audit`, from `domain::events::classify`). `data` holds ids and
-- states only. The feed (`GET /v1/events?after=`) reads them in the order of `id`: on SQLite
-- one writer commits them, so that order is the order of commit. AUTOINCREMENT: an id is never
-- used twice, even after the retention job has removed every older event.
-- `tx_seq` is PostgreSQL's transaction id (see the PostgreSQL migration); always 0 here.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    event_type TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    municipality_code TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    data TEXT NOT NULL,
    tx_seq BIGINT NOT NULL DEFAULT 0
);
