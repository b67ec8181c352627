DROP TABLE inspection_partners;
