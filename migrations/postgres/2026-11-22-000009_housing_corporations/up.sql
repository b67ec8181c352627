-- Housing corporations (toegelaten instellingen, Woningwet art. 19) need no Wgv licence and are
-- supervised by the Autoriteit woningcorporaties: recorded on the landlord by municipal staff,
-- with the reference that shows it (e.g. the Aw register entry).
ALTER TABLE landlords ADD COLUMN housing_corporation BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE landlords ADD COLUMN housing_corporation_reference TEXT;
