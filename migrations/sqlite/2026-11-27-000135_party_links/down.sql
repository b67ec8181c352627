DROP INDEX complaints_landlord;
DROP INDEX accounts_landlord;
DROP TRIGGER violations_owner_fixed;
CREATE TRIGGER violations_owner_fixed BEFORE UPDATE OF landlord_id, municipality_code ON violations
WHEN OLD.landlord_id <> NEW.landlord_id OR OLD.municipality_code <> NEW.municipality_code
BEGIN
    SELECT RAISE(ABORT, 'a violation keeps its landlord and municipality');
END;
DROP INDEX landlords_merged_into;
DROP INDEX properties_intermediary;
ALTER TABLE properties DROP COLUMN intermediary_id;
DROP INDEX violations_dwelling_landlord;
ALTER TABLE violations DROP COLUMN dwelling_landlord_id;
