-- One-time password reset links. Only a SHA-256 hash of the random token is stored (the token
-- itself goes out by mail once); a link works until expires_at, and only once (used_at). A new
-- link for an account replaces the unused ones before it.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_account ON password_resets (account_id);
