DROP INDEX bibob_checks_lbb_due;
ALTER TABLE bibob_checks DROP COLUMN lbb_advice_due_on;
ALTER TABLE licence_applications DROP COLUMN not_considered_due_on;
