-- Objections (bezwaar, Awb 6:4) against a besluit the system records, with the decision term
-- (Awb 7:10) stored as decision_due_on for the lists, the effects of the decision and the
-- appeal (beroep). Dates that count legal terms are DATE (Europe/Amsterdam calendar dates).
CREATE TABLE objections (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_code TEXT NOT NULL,
    landlord_id TEXT NOT NULL,
    besluit_kind TEXT NOT NULL,
    besluit_id TEXT NOT NULL,
    besluit_notified_on DATE NOT NULL,
    received_on DATE NOT NULL,
    lodged_by_kind TEXT NOT NULL,
    lodged_by_description TEXT NOT NULL,
    grounds_summary TEXT,
    advisory_committee BOOLEAN NOT NULL,
    objection_term_ends_on DATE NOT NULL,
    on_time BOOLEAN NOT NULL,
    excusable BOOLEAN,
    state TEXT NOT NULL,
    hearing_planned_on DATE,
    heard_on DATE,
    initial_due_on DATE NOT NULL,
    decision_due_on DATE NOT NULL,
    postponed_on DATE,
    postponement_reason TEXT,
    consent_on DATE,
    decided_on DATE,
    decision_notified_on DATE,
    outcome TEXT,
    withdrawn_on DATE,
    new_decision_reference TEXT,
    new_decision_id TEXT,
    relief_granted_on DATE,
    relief_court TEXT,
    relief_suspends BOOLEAN,
    appeal_lodged_on DATE,
    appeal_court TEXT,
    appeal_on_time BOOLEAN,
    appeal_judgment_on DATE,
    appeal_outcome TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The lists: per municipality in due-date order (keyset on decision_due_on, id), filtered by
-- state or by kind of besluit; the besluit's objections; the landlord's own.
CREATE INDEX objections_due ON objections (municipality_code, decision_due_on, id);
CREATE INDEX objections_state_due ON objections (municipality_code, state, decision_due_on, id);
CREATE INDEX objections_kind_due ON objections (municipality_code, besluit_kind, decision_due_on, id);
CREATE INDEX objections_besluit ON objections (besluit_kind, besluit_id);
CREATE INDEX objections_landlord ON objections (landlord_id, decision_due_on, id);
