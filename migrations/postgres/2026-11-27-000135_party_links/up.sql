-- Linking and merging party records, and addressing an intermediary (issue #14, part D).

-- A violation addressed to an intermediary carries the intermediary in `landlord_id` (the party
-- addressed: its case, sanctions, letters and recidive follow it) and names the landlord of the
-- dwelling here. NULL for a violation addressed to the landlord.
ALTER TABLE violations ADD COLUMN dwelling_landlord_id TEXT REFERENCES landlords (id);
CREATE INDEX violations_dwelling_landlord ON violations (dwelling_landlord_id)
    WHERE dwelling_landlord_id IS NOT NULL;

-- The intermediary (verhuurbemiddelaar or beheerder) that lets or manages a property.
ALTER TABLE properties ADD COLUMN intermediary_id TEXT REFERENCES landlords (id);
CREATE INDEX properties_intermediary ON properties (intermediary_id)
    WHERE intermediary_id IS NOT NULL;

-- Records merged into others, found by the record they point at.
CREATE INDEX landlords_merged_into ON landlords (merged_into) WHERE merged_into IS NOT NULL;

-- A violation keeps its party and municipality (rules.md §4.8), with one exception: when the
-- party's record was merged into another record of the same party, the violation follows it
-- (the merge moves the counter rows itself, summing them).
CREATE OR REPLACE FUNCTION violations_keep_counts() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM landlord_violation_count_add(NEW.landlord_id, NEW.municipality_code, 'status', NEW.status, 1);
        PERFORM landlord_violation_count_add(NEW.landlord_id, NEW.municipality_code, 'rule', NEW.rule, 1);
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD.municipality_code <> NEW.municipality_code
           OR (OLD.landlord_id <> NEW.landlord_id
               AND COALESCE((SELECT merged_into FROM landlords WHERE id = OLD.landlord_id), '') <> NEW.landlord_id) THEN
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

-- A merge and a link find a record's accounts and complaints by the party alone.
CREATE INDEX accounts_landlord ON accounts (landlord_id) WHERE landlord_id IS NOT NULL;
CREATE INDEX complaints_landlord ON complaints (landlord_id) WHERE landlord_id IS NOT NULL;
