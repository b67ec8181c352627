CREATE TABLE events_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
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
