-- The public sanctions register (Wgv art. 20, rules.md §4.7): one row per published fine or
-- management takeover, kept in the same transaction as every step of the sanction. The row holds
-- only what the register shows; the party's name and KvK number are read from landlords at read
-- time (a rename or merge shows the survivor). An annulled fine leaves the register at once (its
-- row is deleted). In force on a day D when published_on <= D and (ends_on IS NULL or D < ends_on).
--   kind     administrative_fine | management_takeover
--   ends_on  fine: the publication's end (expires_on); takeover: the day it ended (NULL while it runs)
CREATE TABLE sanction_publications (
    sanction_id TEXT PRIMARY KEY NOT NULL REFERENCES sanctions (id),
    municipality_code TEXT NOT NULL,
    postcode TEXT NOT NULL,
    house_number INTEGER NOT NULL,
    house_number_addition TEXT NOT NULL DEFAULT '',
    address_key TEXT NOT NULL,
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    kind TEXT NOT NULL CHECK (kind IN ('administrative_fine', 'management_takeover')),
    decided_on DATE NOT NULL,
    rule TEXT NOT NULL,
    amount_cents BIGINT,
    published_on DATE NOT NULL,
    ends_on DATE,
    updated_at TIMESTAMP NOT NULL
);
-- The two look-ups: by address (postcode, house number; every addition), and by party (the KvK
-- number is found through landlords_kvk).
CREATE INDEX sanction_publications_address ON sanction_publications (postcode, house_number);
CREATE INDEX sanction_publications_party ON sanction_publications (landlord_id);
