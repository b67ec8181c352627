-- A number carried in every access token and compared on every request: bumping it (account or
-- API client disabled, municipalities or role changed) makes tokens issued before stop working.
ALTER TABLE accounts ADD COLUMN security_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_clients ADD COLUMN security_version INTEGER NOT NULL DEFAULT 0;
