DROP TRIGGER violations_count_delete;
DROP TRIGGER violations_count_rule;
DROP TRIGGER violations_count_status;
DROP TRIGGER violations_count_insert;
DROP TRIGGER violations_owner_fixed;
DROP TABLE landlord_violation_counts;
