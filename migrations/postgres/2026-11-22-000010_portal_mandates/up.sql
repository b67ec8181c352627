-- A landlord's mandate for a portal (API client with `applications:write`) to handle their
-- licence applications. Kept after revocation (revoked_at) for the record.
CREATE TABLE portal_mandates (
    landlord_id TEXT NOT NULL REFERENCES landlords (id),
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    granted_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    PRIMARY KEY (landlord_id, client_id)
);
