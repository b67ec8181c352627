-- Registration signals for burgerzaken (issue #15, item 4): occupants found at an inspection who
-- are not registered at the address in the BRP. Address, number of persons, date and the
-- inspection; never names. Never a Wgv sanction (supervision.md, "Registration").
-- Lifecycle: open -> address_investigation -> concluded (with an outcome).
CREATE TABLE registration_signals (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    postcode TEXT NOT NULL,
    house_number INTEGER NOT NULL,
    house_number_addition TEXT,
    address_key TEXT NOT NULL,
    persons INTEGER NOT NULL CHECK (persons > 0),
    found_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'address_investigation', 'concluded')),
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('registered', 'deregistered', 'moved',
                                                       'not_found')),
    investigation_started_on DATE,
    concluded_on DATE,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((status = 'concluded') = (outcome IS NOT NULL AND concluded_on IS NOT NULL))
);
-- One signal per inspection.
CREATE UNIQUE INDEX registration_signals_inspection ON registration_signals (inspection_id);
-- The burgerzaken queue: per municipality and status, oldest first.
CREATE INDEX registration_signals_queue ON registration_signals (municipality_code, status, found_on);
