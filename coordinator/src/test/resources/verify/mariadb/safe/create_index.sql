SET SESSION lock_wait_timeout = 2;
CREATE INDEX IF NOT EXISTS orders_note_idx ON orders (note);
