ALTER TABLE api_clients DROP COLUMN revoked_at;
DROP TABLE api_client_municipalities;
