SET lock_timeout = '500ms';
SET statement_timeout = '10min';
ALTER TABLE orders ADD COLUMN gift_wrap boolean;
