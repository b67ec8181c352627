DROP TABLE portal_mandates;
