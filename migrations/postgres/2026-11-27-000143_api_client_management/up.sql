-- API clients managed properly (issue #16): a client may act for several municipalities, and a
-- revoked client stays on record (revoked_at) but can never obtain a token again.
CREATE TABLE api_client_municipalities (
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    municipality_code TEXT NOT NULL REFERENCES municipalities (code),
    PRIMARY KEY (client_id, municipality_code)
);

INSERT INTO api_client_municipalities (client_id, municipality_code)
SELECT id, municipality_code FROM api_clients;

ALTER TABLE api_clients ADD COLUMN revoked_at TIMESTAMP;
