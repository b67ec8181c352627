-- The version of a complaint and of a sanction (issue #16, concurrency control): raised by one
-- with every save, sent as the ETag of the record and compared with a client's If-Match.
-- Licence applications have had theirs from the start.
ALTER TABLE complaints ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sanctions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
