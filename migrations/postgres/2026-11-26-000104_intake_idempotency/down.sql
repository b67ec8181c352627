DROP TABLE complaint_intake_keys;
