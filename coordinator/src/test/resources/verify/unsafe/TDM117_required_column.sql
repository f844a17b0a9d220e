SET lock_timeout = '1s';
ALTER TABLE customers ADD COLUMN country text NOT NULL;
