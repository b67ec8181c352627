-- Inspection dates as dates (they were ISO text).
ALTER TABLE inspections ALTER COLUMN planned_on TYPE date USING planned_on::date;
ALTER TABLE inspections ALTER COLUMN performed_on TYPE date USING performed_on::date;
ALTER TABLE inspection_referrals ALTER COLUMN referred_on TYPE date USING referred_on::date;
