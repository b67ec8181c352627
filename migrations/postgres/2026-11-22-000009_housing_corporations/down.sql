ALTER TABLE landlords DROP COLUMN housing_corporation_reference;
ALTER TABLE landlords DROP COLUMN housing_corporation;
