-- What an inspection records beyond its findings (issue #14, item 4).
-- The parties found at the address, by id, each in the role it was found in (the role of its
-- party record: landlord | intermediary | employer). Replaced as a whole; position keeps the order.
CREATE TABLE inspection_parties (
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    position INTEGER NOT NULL,
    party_id TEXT NOT NULL REFERENCES landlords (id),
    role TEXT NOT NULL CHECK (role IN ('landlord', 'intermediary', 'employer')),
    PRIMARY KEY (inspection_id, position)
);
CREATE INDEX inspection_parties_party ON inspection_parties (party_id);
-- Refused or failed attempts to enter (no findings; the reason from a closed set, an optional
-- note without personal data).
CREATE TABLE inspection_entry_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    attempted_on DATE NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('refused_by_occupant', 'refused_by_landlord',
                                           'no_one_present', 'no_access_other')),
    note TEXT,
    recorded_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_entry_attempts_inspection ON inspection_entry_attempts (inspection_id, attempted_on);
-- The complaints (of the same municipality) that led to the inspection.
CREATE TABLE inspection_complaints (
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (inspection_id, complaint_id)
);
CREATE INDEX inspection_complaints_complaint ON inspection_complaints (complaint_id);
