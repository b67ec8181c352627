ALTER TABLE licences DROP COLUMN replacement_housing_arranged;
ALTER TABLE licences DROP COLUMN occupants_displaced;
