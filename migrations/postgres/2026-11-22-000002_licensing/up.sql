-- Licensing: properties (with rooms), licence applications (planned occupancy, documents,
-- Bibob), licences (with per-room limits). Areas are integers in dm² (1 m² = 100 dm²).
-- Dates that count legal terms are DATE (Europe/Amsterdam calendar dates).

CREATE TABLE properties (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    -- NULL when an officer records an address whose landlord is not (yet) known.
    landlord_id TEXT REFERENCES landlords (id),
    postcode TEXT NOT NULL,
    house_number INTEGER NOT NULL,
    -- Normalised upper case; '' when there is none (so the address is unique without NULLs).
    house_number_addition TEXT NOT NULL DEFAULT '',
    bag_id TEXT,
    neighbourhood_code TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('self_contained', 'rooms_let_separately', 'other')),
    usable_floor_area_dm2 INTEGER NOT NULL,
    toilets INTEGER NOT NULL DEFAULT 0,
    showers INTEGER NOT NULL DEFAULT 0,
    kitchens INTEGER NOT NULL DEFAULT 0,
    cooking_points INTEGER NOT NULL DEFAULT 0,
    washbasins INTEGER NOT NULL DEFAULT 0,
    washing_machines INTEGER NOT NULL DEFAULT 0,
    -- Screening fact recorded by an officer (refusal ground: missing realisation permit).
    building_permit_missing BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX properties_address ON properties (postcode, house_number, house_number_addition);
CREATE INDEX properties_landlord ON properties (landlord_id, id);
CREATE INDEX properties_municipality ON properties (municipality_code, id);

CREATE TABLE property_rooms (
    id TEXT PRIMARY KEY NOT NULL,
    property_id TEXT NOT NULL REFERENCES properties (id),
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    area_dm2 INTEGER NOT NULL,
    sleeping_room BOOLEAN NOT NULL,
    UNIQUE (property_id, label)
);
CREATE INDEX property_rooms_property ON property_rooms (property_id, position);

CREATE TABLE licence_applications (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    property_id TEXT NOT NULL REFERENCES properties (id),
    kind TEXT NOT NULL CHECK (kind IN ('general', 'labour_migrant')),
    state TEXT NOT NULL,
    -- The rent (kale huur) in cents, one of the required data (rules.md §2.2).
    monthly_rent_cents BIGINT,
    submitted_on DATE,
    -- DecisionClock (submission, suspensions, extension) as JSON; rebuilt on every change.
    decision_clock TEXT,
    -- Computed from decision_clock on every state change, for the due_before/overdue filters.
    decision_due_on DATE,
    information_requested TEXT,
    information_respond_by DATE,
    extension_reason TEXT,
    -- Neutral flag: a Bibob check is under way (never the outcome).
    bibob_pending BOOLEAN NOT NULL DEFAULT FALSE,
    decision_outcome TEXT,
    decided_on DATE,
    refusal_grounds TEXT,
    motivation TEXT,
    objection_period_ends_on DATE,
    -- Optimistic lock: every state change increments it conditionally.
    version INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX licence_applications_due ON licence_applications (municipality_code, decision_due_on, id);
CREATE INDEX licence_applications_state ON licence_applications (municipality_code, state, id);
CREATE INDEX licence_applications_list ON licence_applications (municipality_code, id);
CREATE INDEX licence_applications_landlord ON licence_applications (landlord_id, id);
CREATE INDEX licence_applications_property ON licence_applications (property_id);

-- Planned occupancy per room of the property.
CREATE TABLE application_occupancy (
    application_id TEXT NOT NULL REFERENCES licence_applications (id),
    room_label TEXT NOT NULL,
    persons INTEGER NOT NULL,
    partners BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (application_id, room_label)
);

-- Confidential: read and written only through /bibob by the Bibob officer.
CREATE TABLE bibob_checks (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES licence_applications (id),
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    status TEXT NOT NULL,
    outcome TEXT,
    zienswijze_invited_on DATE,
    lbb_requested_on DATE,
    lbb_received_on DATE,
    lbb_extension_weeks INTEGER NOT NULL DEFAULT 0,
    findings TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE application_documents (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES licence_applications (id),
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    kind TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL UNIQUE,
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX application_documents_application ON application_documents (application_id, uploaded_at);

-- A licence is never deleted: suspension, revocation and expiry are states.
CREATE TABLE licences (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    application_id TEXT NOT NULL UNIQUE REFERENCES licence_applications (id),
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    property_id TEXT NOT NULL REFERENCES properties (id),
    kind TEXT NOT NULL CHECK (kind IN ('general', 'labour_migrant')),
    state TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'revoked')),
    valid_from DATE NOT NULL,
    valid_until DATE,
    max_occupants INTEGER NOT NULL,
    -- Voorschriften as JSON [{kind, text}].
    conditions TEXT NOT NULL,
    state_grounds TEXT,
    state_motivation TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX licences_property ON licences (property_id);
CREATE INDEX licences_landlord ON licences (landlord_id);

CREATE TABLE licence_room_limits (
    licence_id TEXT NOT NULL REFERENCES licences (id),
    room_label TEXT NOT NULL,
    max_occupants INTEGER NOT NULL,
    PRIMARY KEY (licence_id, room_label)
);

CREATE FUNCTION licences_never_deleted() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'licences are never deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER licences_no_delete BEFORE DELETE ON licences
FOR EACH ROW EXECUTE FUNCTION licences_never_deleted();
