ALTER TABLE inspection_referrals ALTER COLUMN referred_on TYPE text USING referred_on::text;
ALTER TABLE inspections ALTER COLUMN performed_on TYPE text USING performed_on::text;
ALTER TABLE inspections ALTER COLUMN planned_on TYPE text USING planned_on::text;
