-- Where notices for an API client go (a paused webhook subscription, issue #16). Optional.
ALTER TABLE api_clients ADD COLUMN contact_email TEXT;
