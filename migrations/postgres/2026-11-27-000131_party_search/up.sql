-- Staff search over parties (issue #14): the normalised words of every party's name and trade
-- names and its KvK number, one row per (family, term, party). Kept in the transaction of every
-- insert and update of a party; a search is a range `role = ? AND term >= 'jan' AND term <
-- 'jan' || x` on the primary key, never a scan of the parties. Merged records keep their
-- terms; the search leaves them out by their merged_into.
CREATE TABLE party_search_terms (
    role TEXT NOT NULL CHECK (role IN ('landlord', 'intermediary', 'employer')),
    -- Byte order ("C"), so that the prefix range can use the primary key index.
    term TEXT COLLATE "C" NOT NULL,
    party_id TEXT NOT NULL REFERENCES landlords (id),
    PRIMARY KEY (role, term, party_id)
);
CREATE INDEX party_search_terms_party ON party_search_terms (party_id);
-- The list of a family without a query: keyset by id.
CREATE INDEX landlords_role_id ON landlords (role, id);
-- Whether a party has an account (has_account in every party answer) reads the index
-- accounts_landlord of migration 000135.
