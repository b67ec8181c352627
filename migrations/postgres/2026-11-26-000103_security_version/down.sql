ALTER TABLE api_clients DROP COLUMN security_version;
ALTER TABLE accounts DROP COLUMN security_version;
