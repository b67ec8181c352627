DROP TRIGGER violations_counts ON violations;
DROP FUNCTION violations_keep_counts();
DROP FUNCTION landlord_violation_count_add(TEXT, TEXT, TEXT, TEXT, BIGINT);
DROP TABLE landlord_violation_counts;
