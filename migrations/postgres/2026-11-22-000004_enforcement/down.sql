DROP TABLE sanctions;
DROP TABLE violations;
DROP TABLE enforcement_cases;
DROP TABLE inspections;
