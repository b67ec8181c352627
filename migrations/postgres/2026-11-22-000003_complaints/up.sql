-- Meldpunt: complaints (meldingen), their messages, attachments (files outside the database),
-- referrals, and the mails sent to reporters (so retention can erase them).
-- Dates used for legal day counting are ISO text (YYYY-MM-DD, Europe/Amsterdam), which sorts.
-- No IP address, user agent or account of the reporter is stored anywhere.

CREATE TABLE complaints (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    tracking_hash TEXT NOT NULL,
    category TEXT NOT NULL,
    rule_code TEXT,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    priority_rank INTEGER NOT NULL,
    language TEXT NOT NULL,
    anonymity TEXT NOT NULL CHECK (anonymity IN ('anonymous_to_landlord', 'fully_anonymous')),
    channel TEXT NOT NULL CHECK (channel IN ('public', 'portal')),
    client_id TEXT,
    idempotency_key TEXT,
    idempotency_fingerprint TEXT,
    postcode TEXT,
    house_number INTEGER,
    house_number_addition TEXT,
    location_description TEXT,
    description TEXT,
    signals TEXT NOT NULL,
    has_signals BOOLEAN NOT NULL,
    contact_name TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    consent_to_contact BOOLEAN NOT NULL,
    assigned_officer_id TEXT,
    property_id TEXT,
    landlord_id TEXT,
    licence_id TEXT,
    enforcement_case_id TEXT,
    merged_into TEXT,
    no_referral_reason TEXT,
    has_referral BOOLEAN NOT NULL,
    case_building BOOLEAN NOT NULL,
    enforcement_final_on TEXT,
    awaiting_information BOOLEAN NOT NULL,
    received_at TIMESTAMP NOT NULL,
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status_changed_at TIMESTAMP NOT NULL,
    outcome_on TEXT,
    personal_data_due_on TEXT,
    personal_data_deleted_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX complaints_tracking_hash ON complaints (tracking_hash);
CREATE UNIQUE INDEX complaints_idempotency ON complaints (client_id, idempotency_key);
-- The officer list: ordered by (priority_rank, received_at, id) within a municipality, one index
-- per filter with the same tail so every filtered first page is an index range scan.
CREATE INDEX complaints_list ON complaints (municipality_code, priority_rank, received_at, id);
CREATE INDEX complaints_by_status ON complaints (municipality_code, status, priority_rank, received_at, id);
CREATE INDEX complaints_by_category ON complaints (municipality_code, category, priority_rank, received_at, id);
CREATE INDEX complaints_by_postcode ON complaints (municipality_code, postcode, priority_rank, received_at, id);
CREATE INDEX complaints_by_officer ON complaints (municipality_code, assigned_officer_id, priority_rank, received_at, id);
CREATE INDEX complaints_by_signals ON complaints (municipality_code, has_signals, priority_rank, received_at, id);
CREATE INDEX complaints_by_landlord ON complaints (municipality_code, landlord_id, priority_rank, received_at, id);
CREATE INDEX complaints_by_property ON complaints (municipality_code, property_id, priority_rank, received_at, id);
CREATE INDEX complaints_by_received ON complaints (municipality_code, received_on);
CREATE INDEX complaints_by_due ON complaints (municipality_code, due_on);
CREATE INDEX complaints_merged_into ON complaints (merged_into);
CREATE INDEX complaints_retention ON complaints (personal_data_due_on);

CREATE TABLE complaint_messages (
    id TEXT PRIMARY KEY NOT NULL,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    municipality_code TEXT NOT NULL,
    author TEXT NOT NULL CHECK (author IN ('reporter', 'municipality')),
    kind TEXT NOT NULL CHECK (kind IN ('message', 'information_request', 'internal_note')),
    body TEXT,
    author_account_id TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_messages_by_complaint ON complaint_messages (complaint_id, created_at);

CREATE TABLE complaint_attachments (
    id TEXT PRIMARY KEY NOT NULL,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    municipality_code TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_attachments_by_complaint ON complaint_attachments (complaint_id);

CREATE TABLE complaint_referrals (
    id TEXT PRIMARY KEY NOT NULL,
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    municipality_code TEXT NOT NULL,
    partner TEXT NOT NULL,
    referred_on TEXT NOT NULL,
    shared_data TEXT,
    legal_basis TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX complaint_referrals_by_complaint ON complaint_referrals (complaint_id);

CREATE TABLE complaint_mails (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    outbox_id TEXT NOT NULL,
    PRIMARY KEY (complaint_id, outbox_id)
);
