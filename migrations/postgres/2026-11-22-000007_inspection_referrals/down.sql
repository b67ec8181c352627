DROP TABLE inspection_referrals;
DROP INDEX inspections_referral_pending;
ALTER TABLE inspections DROP COLUMN no_referral_reason;
ALTER TABLE inspections DROP COLUMN referral_decided;
ALTER TABLE inspections DROP COLUMN has_signals;
