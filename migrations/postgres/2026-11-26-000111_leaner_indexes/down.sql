CREATE INDEX sanctions_landlord_effective ON sanctions (landlord_id, kind, effective_on);

CREATE INDEX violations_landlord ON violations (landlord_id, municipality_code, status);
CREATE INDEX violations_landlord_rule ON violations (landlord_id, municipality_code, rule);
CREATE INDEX violations_municipality ON violations (municipality_code, status);

DROP INDEX licence_applications_property;
CREATE INDEX licence_applications_property ON licence_applications (property_id);

DROP INDEX licence_applications_open_due;
CREATE INDEX licence_applications_open_due ON licence_applications (municipality_code, open_due_on, id);

DROP INDEX licence_applications_due;
CREATE INDEX licence_applications_due ON licence_applications (municipality_code, decision_due_on, id);

DROP INDEX complaints_retention;
CREATE INDEX complaints_retention ON complaints (personal_data_due_on);

DROP INDEX complaints_merged_into;
CREATE INDEX complaints_merged_into ON complaints (merged_into);

DROP INDEX complaints_by_property;
CREATE INDEX complaints_by_property ON complaints (municipality_code, property_id, priority_rank, received_at, id);

DROP INDEX complaints_by_landlord;
CREATE INDEX complaints_by_landlord ON complaints (municipality_code, landlord_id, priority_rank, received_at, id);

DROP INDEX complaints_with_signals;
CREATE INDEX complaints_by_signals ON complaints (municipality_code, has_signals, priority_rank, received_at, id);

DROP INDEX complaints_by_officer;
CREATE INDEX complaints_by_officer ON complaints (municipality_code, assigned_officer_id, priority_rank, received_at, id);

DROP INDEX complaints_by_postcode;
CREATE INDEX complaints_by_postcode ON complaints (municipality_code, postcode, priority_rank, received_at, id);

DROP INDEX complaints_idempotency;
CREATE UNIQUE INDEX complaints_idempotency ON complaints (client_id, idempotency_key);
