-- The last day to make known the decision not to consider an application whose term to supply
-- information lapsed unused (Awb 4:5 lid 4, with the Atw), set when the information is requested.
ALTER TABLE licence_applications ADD COLUMN not_considered_due_on DATE;
-- The day the Landelijk Bureau Bibob advice is due (Wet Bibob art. 15, with the Atw), set when the
-- advice is requested or the LBB extends its term.
ALTER TABLE bibob_checks ADD COLUMN lbb_advice_due_on DATE;
-- The Bibob officer's list of checks awaiting advice, by due day (keyset `due|id`).
CREATE INDEX bibob_checks_lbb_due ON bibob_checks (municipality_code, lbb_advice_due_on, application_id)
    WHERE lbb_advice_due_on IS NOT NULL;
