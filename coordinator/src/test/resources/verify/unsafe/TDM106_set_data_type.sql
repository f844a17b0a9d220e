SET lock_timeout = '1s';
ALTER TABLE orders ALTER quantity SET DATA TYPE bigint;
