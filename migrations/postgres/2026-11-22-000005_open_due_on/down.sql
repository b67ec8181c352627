DROP INDEX licence_applications_open_due;
ALTER TABLE licence_applications DROP COLUMN open_due_on;
