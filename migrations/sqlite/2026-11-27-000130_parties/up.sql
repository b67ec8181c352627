-- Parties the municipality records (issue #14). The landlords table holds every party: the
-- landlords (verhuurders), intermediaries (verhuurbemiddelaars and beheerders) and the employers
-- and staffing agencies that house workers. Records made by officers need no account.
--   role         landlord | intermediary | employer        (which family of routes serves it)
--   role_detail  NULL for landlords; letting_agent | property_manager for intermediaries;
--                employer | staffing_agency for employers
--   contact_email: '' when no e-mail address is known (the column stays NOT NULL, as
--                properties.house_number_addition does for "no addition").
ALTER TABLE landlords ADD COLUMN role TEXT NOT NULL DEFAULT 'landlord'
    CHECK (role IN ('landlord', 'intermediary', 'employer'));
ALTER TABLE landlords ADD COLUMN role_detail TEXT
    CHECK (role_detail IS NULL OR role_detail IN
        ('letting_agent', 'property_manager', 'employer', 'staffing_agency'));
ALTER TABLE landlords ADD COLUMN trade_names TEXT NOT NULL DEFAULT '[]';
ALTER TABLE landlords ADD COLUMN establishment_postcode TEXT;
ALTER TABLE landlords ADD COLUMN establishment_house_number INTEGER;
ALTER TABLE landlords ADD COLUMN establishment_house_number_addition TEXT;
ALTER TABLE landlords ADD COLUMN establishment_city TEXT;
ALTER TABLE landlords ADD COLUMN contact_phone TEXT;
-- Where the information came from: self_registration | kvk_register | kadaster | inspection |
-- complaint | partner | other. Every existing record registered itself.
ALTER TABLE landlords ADD COLUMN source TEXT NOT NULL DEFAULT 'self_registration'
    CHECK (source IN ('self_registration', 'kvk_register', 'kadaster', 'inspection', 'complaint',
                      'partner', 'other'));
ALTER TABLE landlords ADD COLUMN notes TEXT;
-- The officer and municipality that recorded the party (NULL when the party registered itself).
ALTER TABLE landlords ADD COLUMN recorded_by TEXT;
ALTER TABLE landlords ADD COLUMN municipality_code TEXT;
-- A record merged into another one points at it; everything it had moved there.
ALTER TABLE landlords ADD COLUMN merged_into TEXT;
ALTER TABLE landlords ADD COLUMN merged_at TIMESTAMP;
ALTER TABLE landlords ADD COLUMN updated_at TIMESTAMP NOT NULL DEFAULT '2023-07-01 00:00:00';
UPDATE landlords SET updated_at = created_at;

-- One recorded legal entity per KvK number and family: a second officer record with the same
-- number is refused (409 naming the first). Self-registrations are not in the index, so that a
-- landlord can always register; an officer then links or merges the two records.
CREATE UNIQUE INDEX landlords_recorded_kvk ON landlords (role, kvk_number)
    WHERE kvk_number IS NOT NULL AND merged_into IS NULL AND source <> 'self_registration';
CREATE INDEX landlords_kvk ON landlords (kvk_number) WHERE kvk_number IS NOT NULL;
