-- Exploitation signals found at an inspection require a referral decision (supervision.md:
-- refer to a partner such as the Nederlandse Arbeidsinspectie, or record why not).
ALTER TABLE inspections ADD COLUMN has_signals BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inspections ADD COLUMN referral_decided BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE inspections ADD COLUMN no_referral_reason TEXT;
-- Rows from before: signals recorded in the findings JSON.
UPDATE inspections SET has_signals = TRUE
    WHERE findings LIKE '%"exploitation_signals":["%';
-- Open referral decisions of a municipality, oldest first.
CREATE INDEX inspections_referral_pending ON inspections (municipality_code, has_signals, referral_decided, created_at);

CREATE TABLE inspection_referrals (
    id TEXT PRIMARY KEY NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    partner TEXT NOT NULL,
    referred_on TEXT NOT NULL,
    -- Exactly which data were shared, and on which legal basis (AVG purpose limitation).
    shared_data TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_referrals_by_inspection ON inspection_referrals (inspection_id, created_at);
