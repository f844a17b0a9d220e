SET lock_timeout = '500ms';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note);
