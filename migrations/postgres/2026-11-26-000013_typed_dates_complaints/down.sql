ALTER TABLE complaint_referrals ALTER COLUMN referred_on TYPE text USING to_char(referred_on, 'YYYY-MM-DD');
ALTER TABLE complaints ALTER COLUMN enforcement_final_on TYPE text USING to_char(enforcement_final_on, 'YYYY-MM-DD');
ALTER TABLE complaints ALTER COLUMN personal_data_due_on TYPE text USING to_char(personal_data_due_on, 'YYYY-MM-DD');
ALTER TABLE complaints ALTER COLUMN outcome_on TYPE text USING to_char(outcome_on, 'YYYY-MM-DD');
ALTER TABLE complaints ALTER COLUMN due_on TYPE text USING to_char(due_on, 'YYYY-MM-DD');
ALTER TABLE complaints ALTER COLUMN received_on TYPE text USING to_char(received_on, 'YYYY-MM-DD');
