SET lock_timeout = '1s';
ALTER TABLE orders SET TABLESPACE pg_default;
