-- Meldpunt dates become DATE columns (they were ISO text). The plain indexes on received_on,
-- due_on and personal_data_due_on are rebuilt by ALTER COLUMN … TYPE; no trigger, view or index
-- expression reads these columns.
ALTER TABLE complaints ALTER COLUMN received_on TYPE date USING received_on::date;
ALTER TABLE complaints ALTER COLUMN due_on TYPE date USING due_on::date;
ALTER TABLE complaints ALTER COLUMN outcome_on TYPE date USING outcome_on::date;
ALTER TABLE complaints ALTER COLUMN personal_data_due_on TYPE date USING personal_data_due_on::date;
ALTER TABLE complaints ALTER COLUMN enforcement_final_on TYPE date USING enforcement_final_on::date;
ALTER TABLE complaint_referrals ALTER COLUMN referred_on TYPE date USING referred_on::date;
