SET lock_timeout = '500ms';
SET statement_timeout = '10min';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS customers_phone_key ON customers (phone);
BEGIN;
ALTER TABLE customers ADD CONSTRAINT customers_phone_key UNIQUE USING INDEX customers_phone_key;
COMMIT;
