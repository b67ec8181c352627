-- When an administrator last requeued a failed message: the retry horizon counts from here
-- (from created_at when never requeued).
ALTER TABLE outbox ADD COLUMN requeued_at TIMESTAMP;
