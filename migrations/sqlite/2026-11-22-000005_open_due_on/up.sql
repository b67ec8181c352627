-- The decision due date of undecided applications only (NULL once decided, withdrawn or not
-- considered), so that the officers' overdue list is one index range scan in due-date order
-- however many decided applications there are.
ALTER TABLE licence_applications ADD COLUMN open_due_on DATE;
UPDATE licence_applications SET open_due_on = decision_due_on
    WHERE state IN ('submitted', 'incomplete', 'in_review');
CREATE INDEX licence_applications_open_due ON licence_applications (municipality_code, open_due_on, id);
