-- A received notice of default (ingebrekestelling, Awb 4:17) on a licence application whose
-- decision term lapsed: at most one per application. Either the officer records that no
-- dwangsom is due (a ground of Awb 4:17 lid 6 with a motivation) or, once it stopped running,
-- the beschikking fixing its amount (Awb 4:18). decision_due_on is the due date that had lapsed
-- when the notice was recorded; withdrawn_on the day the application was withdrawn afterwards
-- (the dwangsom stops then: nothing is left to decide).
CREATE TABLE late_decision_notices (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES licence_applications (id),
    municipality_code TEXT NOT NULL,
    received_on DATE NOT NULL,
    decision_due_on DATE NOT NULL,
    withdrawn_on DATE,
    no_penalty_ground TEXT,
    no_penalty_motivation TEXT,
    penalty_decided_on DATE,
    penalty_amount_cents BIGINT,
    penalty_deviation_motivation TEXT,
    penalty_objection_ends_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
