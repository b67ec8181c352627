-- Refusal grounds are named like the screening flags and the property fact:
-- `missing_permit` becomes `missing_building_permit`, `prior_enforcement8y` becomes
-- `prior_enforcement_8y`. `licence_applications.refusal_grounds` is a JSON array of these codes.
-- Audit rows keep what was recorded at the time (they are never changed).
UPDATE licence_applications
SET refusal_grounds = REPLACE(
        REPLACE(refusal_grounds, '"missing_permit"', '"missing_building_permit"'),
        '"prior_enforcement8y"', '"prior_enforcement_8y"')
WHERE refusal_grounds IS NOT NULL;
