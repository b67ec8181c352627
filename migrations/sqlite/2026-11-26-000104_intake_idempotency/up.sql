-- Idempotency-Keys of the public complaint intake, kept for a retention window (24 hours by
-- default). Nothing here identifies the reporter: the key is stored only as a salted hash, the
-- request only as a keyed fingerprint, and the tracking code only sealed under the key (which
-- only the client knows). No IP address is stored. complaint_id is set in the same transaction
-- that files the complaint.
CREATE TABLE complaint_intake_keys (
    key_hash TEXT PRIMARY KEY NOT NULL,
    complaint_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    seal_salt TEXT NOT NULL,
    sealed_code TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_intake_keys_created ON complaint_intake_keys (created_at);
