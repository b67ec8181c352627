UPDATE licence_applications
SET refusal_grounds = REPLACE(
        REPLACE(refusal_grounds, '"missing_building_permit"', '"missing_permit"'),
        '"prior_enforcement_8y"', '"prior_enforcement8y"')
WHERE refusal_grounds IS NOT NULL;
