-- Enforcement: inspections, enforcement cases, violations, sanctions.
-- Dates the law counts with are ISO text (YYYY-MM-DD, sortable); JSON documents are text.
-- Addresses are keyed as 'POSTCODE|NUMBER|ADDITION' (address_key): a case and its violations
-- belong to landlord + address (+ rule), never to a tenant (rules.md §4.8).

CREATE TABLE inspections (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    status TEXT NOT NULL CHECK (status IN ('planned', 'performed')),
    planned_on TEXT,
    performed_on TEXT,
    postcode TEXT NOT NULL,
    house_number INTEGER NOT NULL,
    house_number_addition TEXT,
    address_key TEXT NOT NULL,
    property_id TEXT,
    licence_id TEXT,
    landlord_id TEXT REFERENCES landlords (id),
    officers TEXT NOT NULL,
    interpreter_used BOOLEAN NOT NULL DEFAULT FALSE,
    interpreter_language TEXT,
    findings TEXT NOT NULL,
    urgent BOOLEAN NOT NULL DEFAULT FALSE,
    evaluation TEXT,
    evaluated_at TIMESTAMP,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX inspections_municipality ON inspections (municipality_code, created_at, id);
CREATE INDEX inspections_address ON inspections (address_key);
CREATE INDEX inspections_landlord ON inspections (landlord_id);

CREATE TABLE enforcement_cases (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    address_key TEXT NOT NULL,
    postcode TEXT NOT NULL,
    house_number INTEGER NOT NULL,
    house_number_addition TEXT,
    property_id TEXT,
    licence_id TEXT,
    landlord_kind TEXT NOT NULL CHECK (landlord_kind IN ('private', 'woningcorporatie')),
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    stage TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    closed_on TEXT,
    close_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One open case per landlord and address.
CREATE UNIQUE INDEX enforcement_cases_one_open ON enforcement_cases (landlord_id, address_key) WHERE status = 'open';
CREATE INDEX enforcement_cases_list ON enforcement_cases (municipality_code, status, stage, id);
CREATE INDEX enforcement_cases_landlord ON enforcement_cases (landlord_id, status);
CREATE INDEX enforcement_cases_landlord_address ON enforcement_cases (landlord_id, municipality_code, address_key, status);

CREATE TABLE violations (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    address_key TEXT NOT NULL,
    rule TEXT NOT NULL,
    licence_condition TEXT,
    established_on TEXT NOT NULL,
    description TEXT NOT NULL,
    details TEXT NOT NULL,
    evidence TEXT NOT NULL,
    inspection_id TEXT REFERENCES inspections (id),
    aggravations TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'remedied', 'closed_without_enforcement')),
    close_reason TEXT,
    close_motivation TEXT,
    closed_on TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- History aggregates (GROUP BY status / rule per landlord) are answered from these indexes alone.
CREATE INDEX violations_landlord ON violations (landlord_id, municipality_code, status);
CREATE INDEX violations_landlord_rule ON violations (landlord_id, municipality_code, rule);
CREATE INDEX violations_case ON violations (case_id, established_on);
CREATE INDEX violations_municipality ON violations (municipality_code, status);

CREATE TABLE sanctions (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    case_id TEXT NOT NULL REFERENCES enforcement_cases (id),
    violation_id TEXT NOT NULL REFERENCES violations (id),
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    kind TEXT NOT NULL,
    rule TEXT NOT NULL,
    violation_date TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state TEXT NOT NULL,
    terms TEXT NOT NULL,
    proposed_step TEXT NOT NULL,
    motivation TEXT,
    amount_cents BIGINT,
    offender_kind TEXT,
    effective_on TEXT NOT NULL,
    next_deadline TEXT,
    next_deadline_kind TEXT,
    -- The latest running deadline: when it has passed, the item is overdue.
    last_deadline TEXT,
    last_deadline_kind TEXT,
    rapport_date TEXT,
    decision_date TEXT,
    final_date TEXT,
    annulled BOOLEAN NOT NULL DEFAULT FALSE,
    occupants_displaced INTEGER,
    replacement_housing_arranged BOOLEAN,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sanctions_landlord ON sanctions (landlord_id, kind, decision_date);
CREATE INDEX sanctions_landlord_effective ON sanctions (landlord_id, kind, effective_on);
CREATE INDEX sanctions_case ON sanctions (case_id, created_at);
CREATE INDEX sanctions_landlord_recent ON sanctions (landlord_id, created_at, id);
CREATE INDEX sanctions_violation ON sanctions (violation_id, kind);
CREATE INDEX sanctions_deadline ON sanctions (municipality_code, next_deadline);
CREATE INDEX sanctions_last_deadline ON sanctions (municipality_code, last_deadline);
