DROP TABLE outbox;
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE api_clients;
DROP TABLE account_municipalities;
DROP TABLE accounts;
DROP TABLE landlords;
DROP TABLE municipalities;
