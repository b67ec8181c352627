DROP TABLE sanction_publications;
