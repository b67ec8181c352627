-- Back to two channels: partner signals cannot be kept (their channel would break the check),
-- so they are refused here rather than lost silently; remove them first if a downgrade is meant.
PRAGMA defer_foreign_keys = ON;

-- 1. Keep the rows aside (a plain copy: no constraints, nothing refers to it).
CREATE TABLE complaints_before_000139 AS SELECT * FROM complaints;
-- 2. Drop the table: its indexes go with it. The rows of complaint_messages,
--    complaint_attachments, complaint_referrals, complaint_mails and inspection_complaints
--    that refer to it are orphaned for a moment, which the deferred check counts.
DROP TABLE complaints;
-- 3. The table under its own name, so that the references of those tables hold again.
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
-- 4. Every row back (each one found by its children settles the deferred count).
INSERT INTO complaints (id, municipality_code, tracking_hash, category, rule_code, status, priority, priority_rank, language, anonymity, channel, client_id, idempotency_key, idempotency_fingerprint, postcode, house_number, house_number_addition, location_description, description, signals, has_signals, contact_name, contact_email, contact_phone, consent_to_contact, assigned_officer_id, property_id, landlord_id, licence_id, enforcement_case_id, merged_into, no_referral_reason, has_referral, case_building, enforcement_final_on, awaiting_information, received_at, received_on, due_on, status_changed_at, outcome_on, personal_data_due_on, personal_data_deleted_at, updated_at)
SELECT id, municipality_code, tracking_hash, category, rule_code, status, priority, priority_rank, language, anonymity, channel, client_id, idempotency_key, idempotency_fingerprint, postcode, house_number, house_number_addition, location_description, description, signals, has_signals, contact_name, contact_email, contact_phone, consent_to_contact, assigned_officer_id, property_id, landlord_id, licence_id, enforcement_case_id, merged_into, no_referral_reason, has_referral, case_building, enforcement_final_on, awaiting_information, received_at, received_on, due_on, status_changed_at, outcome_on, personal_data_due_on, personal_data_deleted_at, updated_at FROM complaints_before_000139;
DROP TABLE complaints_before_000139;
-- 5. Every index of complaints, exactly as migrations 000003, 000111, 000125 and 000135 left
--    them (complaints has no triggers).
CREATE UNIQUE INDEX complaints_tracking_hash ON complaints (tracking_hash);
CREATE UNIQUE INDEX complaints_idempotency ON complaints (client_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX complaints_list ON complaints (municipality_code, priority_rank, received_at, id);
CREATE INDEX complaints_by_status ON complaints (municipality_code, status, priority_rank, received_at, id);
CREATE INDEX complaints_by_category ON complaints (municipality_code, category, priority_rank, received_at, id);
CREATE INDEX complaints_by_postcode ON complaints (municipality_code, postcode, priority_rank, received_at, id)
    WHERE postcode IS NOT NULL;
CREATE INDEX complaints_by_officer ON complaints (municipality_code, assigned_officer_id, priority_rank, received_at, id)
    WHERE assigned_officer_id IS NOT NULL;
CREATE INDEX complaints_with_signals ON complaints (municipality_code, priority_rank, received_at, id)
    WHERE has_signals;
CREATE INDEX complaints_by_landlord ON complaints (municipality_code, landlord_id, priority_rank, received_at, id)
    WHERE landlord_id IS NOT NULL;
CREATE INDEX complaints_by_property ON complaints (municipality_code, property_id, priority_rank, received_at, id)
    WHERE property_id IS NOT NULL;
CREATE INDEX complaints_by_received ON complaints (municipality_code, received_on);
CREATE INDEX complaints_by_due ON complaints (municipality_code, due_on);
CREATE INDEX complaints_merged_into ON complaints (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX complaints_retention ON complaints (personal_data_due_on)
    WHERE personal_data_due_on IS NOT NULL AND personal_data_deleted_at IS NULL;
CREATE INDEX complaints_by_enforcement_case ON complaints (municipality_code, enforcement_case_id)
    WHERE enforcement_case_id IS NOT NULL;
CREATE INDEX complaints_landlord ON complaints (landlord_id) WHERE landlord_id IS NOT NULL;

DELETE FROM inspection_partners WHERE partner = 'utility';
CREATE TABLE inspection_partners_before_000139 AS SELECT * FROM inspection_partners;
DROP TABLE inspection_partners;
CREATE TABLE inspection_partners (
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    partner TEXT NOT NULL CHECK (partner IN ('labour_inspectorate', 'police', 'tax_authority',
        'uwv', 'svb', 'ind', 'snf', 'riec', 'other_municipality', 'civil_affairs',
        'housing_corporation', 'housing_corporation_authority', 'anti_discrimination_service',
        'rent_tribunal')),
    municipality_code TEXT NOT NULL,
    PRIMARY KEY (inspection_id, partner)
);
CREATE INDEX inspection_partners_partner ON inspection_partners (municipality_code, partner);
INSERT INTO inspection_partners (inspection_id, partner, municipality_code)
SELECT inspection_id, partner, municipality_code FROM inspection_partners_before_000139;
DROP TABLE inspection_partners_before_000139;
