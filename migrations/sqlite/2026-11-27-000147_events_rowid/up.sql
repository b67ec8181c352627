-- events without AUTOINCREMENT (issue #16, the cost of events on the write routes): that keyword
-- makes every event also update `sqlite_sequence` (one more page per write transaction) only to
-- promise that the id of a deleted last row is never given again. The retention job never
-- removes the newest event (`db::events::delete_before`), so the plain rowid (largest + 1) gives
-- the same promise: an id is never used twice, and a portal's cursor never points at a reused id.
-- SQLite only: on PostgreSQL `events.id` is a BIGSERIAL, whose sequence never repeats.
-- SQLite cannot drop the keyword in place: the table is copied once, ids kept.
CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY NOT NULL,
    event_type TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    municipality_code TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    data TEXT NOT NULL,
    tx_seq BIGINT NOT NULL DEFAULT 0
);
INSERT INTO events_rebuilt (id, event_type, occurred_at, municipality_code, subject_kind, subject_id, data, tx_seq)
    SELECT id, event_type, occurred_at, municipality_code, subject_kind, subject_id, data, tx_seq FROM events;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;
