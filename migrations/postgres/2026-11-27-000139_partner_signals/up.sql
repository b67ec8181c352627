-- Signals from partners (issue #15, item 3): staff enter a signal received from a partner (police,
-- labour inspectorate, UWV, SNF, another municipality, burgerzaken, a housing corporation, a
-- utility…) as a complaint with channel 'partner', the partner's code and the partner's own
-- reference. Such a complaint has no reporter, contact data or usable tracking code.
ALTER TABLE complaints DROP CONSTRAINT complaints_channel_check;
ALTER TABLE complaints ADD CONSTRAINT complaints_channel_check
    CHECK (channel IN ('public', 'portal', 'partner'));
ALTER TABLE complaints ADD COLUMN partner TEXT CHECK (partner IS NULL OR partner IN ('labour_inspectorate', 'police', 'tax_authority',
        'uwv', 'svb', 'ind', 'snf', 'riec', 'other_municipality', 'civil_affairs',
        'housing_corporation', 'housing_corporation_authority', 'anti_discrimination_service',
        'rent_tribunal', 'utility'));
ALTER TABLE complaints ADD COLUMN partner_reference TEXT
    CHECK (partner_reference IS NULL OR length(partner_reference) <= 100);
ALTER TABLE complaints ADD CONSTRAINT complaints_partner_channel
    CHECK ((channel = 'partner') = (partner IS NOT NULL));
ALTER TABLE complaints ADD CONSTRAINT complaints_partner_reference
    CHECK (partner IS NOT NULL OR partner_reference IS NULL);
-- Partner signals in the officer list (`?channel=partner`): few among many, so a partial index
-- of the list order, like complaints_with_signals (000111).
CREATE INDEX complaints_from_partners ON complaints (municipality_code, priority_rank, received_at, id)
    WHERE partner IS NOT NULL;

-- The utility is a partner too: inspection_partners (000136) admits its code.
ALTER TABLE inspection_partners DROP CONSTRAINT inspection_partners_partner_check;
ALTER TABLE inspection_partners ADD CONSTRAINT inspection_partners_partner_check
    CHECK (partner IN ('labour_inspectorate', 'police', 'tax_authority',
        'uwv', 'svb', 'ind', 'snf', 'riec', 'other_municipality', 'civil_affairs',
        'housing_corporation', 'housing_corporation_authority', 'anti_discrimination_service',
        'rent_tribunal', 'utility'));
