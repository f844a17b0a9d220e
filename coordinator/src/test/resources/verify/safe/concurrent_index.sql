SET lock_timeout = '500ms';
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
REINDEX INDEX CONCURRENTLY orders_pkey;
