-- Joint inspections (issue #15, item 5): the partner organisations present at an inspection,
-- each a code of the partner list (domain::complaints::Partner). Replaced as a whole.
CREATE TABLE inspection_partners (
    inspection_id TEXT NOT NULL REFERENCES inspections (id),
    partner TEXT NOT NULL CHECK (partner IN ('labour_inspectorate', 'police', 'tax_authority',
        'uwv', 'svb', 'ind', 'snf', 'riec', 'other_municipality', 'civil_affairs',
        'housing_corporation', 'housing_corporation_authority', 'anti_discrimination_service',
        'rent_tribunal')),
    municipality_code TEXT NOT NULL,
    PRIMARY KEY (inspection_id, partner)
);
CREATE INDEX inspection_partners_partner ON inspection_partners (municipality_code, partner);
