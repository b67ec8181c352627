-- A suspension or revocation can displace occupants: record how many and whether replacement
-- housing was arranged (supervision.md, "Priorities and proportionality"), as for sanctions.
ALTER TABLE licences ADD COLUMN occupants_displaced INTEGER;
ALTER TABLE licences ADD COLUMN replacement_housing_arranged BOOLEAN;
