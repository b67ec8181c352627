ALTER TABLE api_clients DROP COLUMN contact_email;
