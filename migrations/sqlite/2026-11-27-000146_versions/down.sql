ALTER TABLE sanctions DROP COLUMN version;
ALTER TABLE complaints DROP COLUMN version;
