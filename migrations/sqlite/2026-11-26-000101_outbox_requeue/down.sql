ALTER TABLE outbox DROP COLUMN requeued_at;
