SET lock_timeout = '500ms';
CREATE UNIQUE INDEX CONCURRENTLY customers_phone_key ON customers (phone);
ALTER TABLE customers ADD CONSTRAINT customers_phone_key UNIQUE USING INDEX customers_phone_key;
