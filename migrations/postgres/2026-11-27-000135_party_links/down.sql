DROP INDEX complaints_landlord;
DROP INDEX accounts_landlord;
-- The function as before: a violation never changes its party.
CREATE OR REPLACE FUNCTION violations_keep_counts() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM landlord_violation_count_add(NEW.landlord_id, NEW.municipality_code, 'status', NEW.status, 1);
        PERFORM landlord_violation_count_add(NEW.landlord_id, NEW.municipality_code, 'rule', NEW.rule, 1);
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.landlord_id <> NEW.landlord_id OR OLD.municipality_code <> NEW.municipality_code THEN
            RAISE EXCEPTION 'a violation keeps its landlord and municipality';
        END IF;
        IF OLD.status <> NEW.status THEN
            PERFORM landlord_violation_count_add(OLD.landlord_id, OLD.municipality_code, 'status', OLD.status, -1);
            PERFORM landlord_violation_count_add(NEW.landlord_id, NEW.municipality_code, 'status', NEW.status, 1);
        END IF;
        IF OLD.rule <> NEW.rule THEN
            PERFORM landlord_violation_count_add(OLD.landlord_id, OLD.municipality_code, 'rule', OLD.rule, -1);
            PERFORM landlord_violation_count_add(NEW.landlord_id, NEW.municipality_code, 'rule', NEW.rule, 1);
        END IF;
        RETURN NEW;
    ELSE
        PERFORM landlord_violation_count_add(OLD.landlord_id, OLD.municipality_code, 'status', OLD.status, -1);
        PERFORM landlord_violation_count_add(OLD.landlord_id, OLD.municipality_code, 'rule', OLD.rule, -1);
        RETURN OLD;
    END IF;
END;
$$ LANGUAGE plpgsql;

DROP INDEX landlords_merged_into;
DROP INDEX properties_intermediary;
ALTER TABLE properties DROP COLUMN intermediary_id;
DROP INDEX violations_dwelling_landlord;
ALTER TABLE violations DROP COLUMN dwelling_landlord_id;
