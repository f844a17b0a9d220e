SET lock_timeout = '500ms';
SET statement_timeout = '10min';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note);
DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
REINDEX INDEX CONCURRENTLY orders_pkey;
