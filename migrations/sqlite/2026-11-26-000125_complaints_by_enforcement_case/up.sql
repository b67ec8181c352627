-- Retention rule (d) reads the date a linked enforcement case's sanction became final: when a
-- sanction becomes final, the complaints linked to its case are found on this index. Partial
-- (most complaints are never linked), like the other link indexes (000111).
CREATE INDEX complaints_by_enforcement_case ON complaints (municipality_code, enforcement_case_id)
    WHERE enforcement_case_id IS NOT NULL;
