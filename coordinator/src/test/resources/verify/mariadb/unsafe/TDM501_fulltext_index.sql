SET SESSION lock_wait_timeout = 2;
CREATE FULLTEXT INDEX IF NOT EXISTS orders_note_ft ON orders (note);
