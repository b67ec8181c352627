-- Leases (huurovereenkomsten) recorded per property (issue #14), checked against the general
-- rules GR-04, GR-05, GR-06, AM-01 and AM-02. No tenant names or other personal data of tenants:
-- only the facts of the lease. Money in integer euro cents; languages as JSON arrays of
-- ISO 639-1 codes.
--   recorded_from  inspection | complaint | landlord | officer
--   form           written | oral
CREATE TABLE leases (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    property_id TEXT NOT NULL REFERENCES properties (id),
    landlord_id TEXT REFERENCES landlords (id),
    recorded_by TEXT,
    recorded_from TEXT NOT NULL
        CHECK (recorded_from IN ('inspection', 'complaint', 'landlord', 'officer')),
    inspection_id TEXT,
    complaint_id TEXT,
    concluded_on DATE NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    form TEXT NOT NULL CHECK (form IN ('written', 'oral')),
    information_given_on DATE,
    information_languages TEXT NOT NULL DEFAULT '[]',
    tied_to_employment BOOLEAN NOT NULL DEFAULT FALSE,
    occupants_are_labour_migrants BOOLEAN NOT NULL DEFAULT FALSE,
    occupant_languages TEXT NOT NULL DEFAULT '[]',
    rent_cents BIGINT,
    service_costs_cents BIGINT,
    deposit_cents BIGINT,
    deposit_returned_on DATE,
    deposit_deductions BOOLEAN NOT NULL DEFAULT FALSE,
    deduction_specification_given BOOLEAN NOT NULL DEFAULT FALSE,
    occupants INTEGER,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX leases_property ON leases (property_id, concluded_on, id);
CREATE INDEX leases_landlord ON leases (landlord_id);
