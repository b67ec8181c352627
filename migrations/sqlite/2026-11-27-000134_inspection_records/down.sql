DROP TABLE inspection_complaints;
DROP TABLE inspection_entry_attempts;
DROP TABLE inspection_parties;
