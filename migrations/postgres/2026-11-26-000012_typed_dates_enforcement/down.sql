ALTER TABLE sanctions
    ALTER COLUMN violation_date TYPE text USING to_char(violation_date, 'YYYY-MM-DD'),
    ALTER COLUMN effective_on TYPE text USING to_char(effective_on, 'YYYY-MM-DD'),
    ALTER COLUMN next_deadline TYPE text USING to_char(next_deadline, 'YYYY-MM-DD'),
    ALTER COLUMN last_deadline TYPE text USING to_char(last_deadline, 'YYYY-MM-DD'),
    ALTER COLUMN rapport_date TYPE text USING to_char(rapport_date, 'YYYY-MM-DD'),
    ALTER COLUMN decision_date TYPE text USING to_char(decision_date, 'YYYY-MM-DD'),
    ALTER COLUMN final_date TYPE text USING to_char(final_date, 'YYYY-MM-DD');
ALTER TABLE violations
    ALTER COLUMN established_on TYPE text USING to_char(established_on, 'YYYY-MM-DD'),
    ALTER COLUMN closed_on TYPE text USING to_char(closed_on, 'YYYY-MM-DD');
ALTER TABLE enforcement_cases
    ALTER COLUMN opened_on TYPE text USING to_char(opened_on, 'YYYY-MM-DD'),
    ALTER COLUMN closed_on TYPE text USING to_char(closed_on, 'YYYY-MM-DD');
