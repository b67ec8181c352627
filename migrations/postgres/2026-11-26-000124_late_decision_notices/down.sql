DROP TABLE late_decision_notices;
