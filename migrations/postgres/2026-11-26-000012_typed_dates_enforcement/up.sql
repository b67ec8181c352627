-- Enforcement dates become DATE columns (they were ISO text, YYYY-MM-DD). The indexes on them
-- (violations_case, sanctions_landlord, sanctions_landlord_effective, sanctions_deadline,
-- sanctions_last_deadline) are rebuilt by ALTER TABLE; the violation-count triggers read only
-- status and rule.
ALTER TABLE enforcement_cases
    ALTER COLUMN opened_on TYPE date USING opened_on::date,
    ALTER COLUMN closed_on TYPE date USING closed_on::date;
ALTER TABLE violations
    ALTER COLUMN established_on TYPE date USING established_on::date,
    ALTER COLUMN closed_on TYPE date USING closed_on::date;
ALTER TABLE sanctions
    ALTER COLUMN violation_date TYPE date USING violation_date::date,
    ALTER COLUMN effective_on TYPE date USING effective_on::date,
    ALTER COLUMN next_deadline TYPE date USING next_deadline::date,
    ALTER COLUMN last_deadline TYPE date USING last_deadline::date,
    ALTER COLUMN rapport_date TYPE date USING rapport_date::date,
    ALTER COLUMN decision_date TYPE date USING decision_date::date,
    ALTER COLUMN final_date TYPE date USING final_date::date;
