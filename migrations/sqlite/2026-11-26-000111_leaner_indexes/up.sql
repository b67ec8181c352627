-- Fewer index pages per write (issue #11). Every index costs at least one page write per
-- inserted row, also for a NULL key. So:
-- * columns that are empty when a row is written (an officer, landlord, property, merge,
--   retention date or portal key is set later, or never) get partial indexes
--   `WHERE col IS NOT NULL`: a filter `col = ?` (or `<`, `<=`) implies that, so SQLite and
--   PostgreSQL still use them, and a new complaint is not written into them at all;
-- * "with exploitation signals" (rare, and the one that matters) is a partial index of the
--   list order; "without signals" is most complaints and walks the list index;
-- * indexes no query uses are dropped: violations are looked up by id and case only (the
--   landlord history reads `landlord_violation_counts`), and a landlord's warnings are found
--   through `sanctions_landlord` (landlord, kind).
-- docs/performance-b.md lists every index with the query it serves; tests/service/query_plans.rs
-- checks the plans.

DROP INDEX complaints_idempotency;
CREATE UNIQUE INDEX complaints_idempotency ON complaints (client_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

DROP INDEX complaints_by_postcode;
CREATE INDEX complaints_by_postcode ON complaints (municipality_code, postcode, priority_rank, received_at, id)
    WHERE postcode IS NOT NULL;

DROP INDEX complaints_by_officer;
CREATE INDEX complaints_by_officer ON complaints (municipality_code, assigned_officer_id, priority_rank, received_at, id)
    WHERE assigned_officer_id IS NOT NULL;

DROP INDEX complaints_by_signals;
CREATE INDEX complaints_with_signals ON complaints (municipality_code, priority_rank, received_at, id)
    WHERE has_signals;

DROP INDEX complaints_by_landlord;
CREATE INDEX complaints_by_landlord ON complaints (municipality_code, landlord_id, priority_rank, received_at, id)
    WHERE landlord_id IS NOT NULL;

DROP INDEX complaints_by_property;
CREATE INDEX complaints_by_property ON complaints (municipality_code, property_id, priority_rank, received_at, id)
    WHERE property_id IS NOT NULL;

DROP INDEX complaints_merged_into;
CREATE INDEX complaints_merged_into ON complaints (merged_into) WHERE merged_into IS NOT NULL;

DROP INDEX complaints_retention;
CREATE INDEX complaints_retention ON complaints (personal_data_due_on)
    WHERE personal_data_due_on IS NOT NULL AND personal_data_deleted_at IS NULL;

DROP INDEX licence_applications_due;
CREATE INDEX licence_applications_due ON licence_applications (municipality_code, decision_due_on, id)
    WHERE decision_due_on IS NOT NULL;

DROP INDEX licence_applications_open_due;
CREATE INDEX licence_applications_open_due ON licence_applications (municipality_code, open_due_on, id)
    WHERE open_due_on IS NOT NULL;

-- A property's applications within the municipality, in id order (the list's order): the
-- property index also holds the municipality and id, so that filter is a range, not a walk of
-- the municipality's list.
DROP INDEX licence_applications_property;
CREATE INDEX licence_applications_property ON licence_applications (property_id, municipality_code, id);

DROP INDEX violations_landlord;
DROP INDEX violations_landlord_rule;
DROP INDEX violations_municipality;

DROP INDEX sanctions_landlord_effective;

-- audit_log without AUTOINCREMENT: that keyword makes every audit row also update
-- `sqlite_sequence` (one more page per write) only to promise that the id of a deleted last row
-- is never reused; audit rows are never deleted (trigger audit_log_no_delete), so the plain
-- rowid (largest + 1) gives the same ids. SQLite cannot drop the keyword in place: the table is
-- copied once (ids kept) and its indexes and triggers made again.
CREATE TABLE audit_log_rebuilt (
    id INTEGER PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    municipality_code TEXT,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT,
    reason TEXT,
    request_id TEXT
);
INSERT INTO audit_log_rebuilt SELECT * FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_rebuilt RENAME TO audit_log;
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id);
CREATE INDEX audit_log_municipality ON audit_log (municipality_code, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
