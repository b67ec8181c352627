-- Back to two channels: partner signals would break the channel check, so the downgrade fails
-- while any exist (remove them first if a downgrade is meant).
DROP INDEX complaints_from_partners;
ALTER TABLE complaints DROP CONSTRAINT complaints_partner_reference;
ALTER TABLE complaints DROP CONSTRAINT complaints_partner_channel;
ALTER TABLE complaints DROP COLUMN partner_reference;
ALTER TABLE complaints DROP COLUMN partner;
ALTER TABLE complaints DROP CONSTRAINT complaints_channel_check;
ALTER TABLE complaints ADD CONSTRAINT complaints_channel_check CHECK (channel IN ('public', 'portal'));

DELETE FROM inspection_partners WHERE partner = 'utility';
ALTER TABLE inspection_partners DROP CONSTRAINT inspection_partners_partner_check;
ALTER TABLE inspection_partners ADD CONSTRAINT inspection_partners_partner_check
    CHECK (partner IN ('labour_inspectorate', 'police', 'tax_authority',
        'uwv', 'svb', 'ind', 'snf', 'riec', 'other_municipality', 'civil_affairs',
        'housing_corporation', 'housing_corporation_authority', 'anti_discrimination_service',
        'rent_tribunal'));
