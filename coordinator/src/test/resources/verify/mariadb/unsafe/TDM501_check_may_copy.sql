SET SESSION lock_wait_timeout = 2;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
