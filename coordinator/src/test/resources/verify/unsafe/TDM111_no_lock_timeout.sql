-- no lock_timeout: the ALTER may queue every query on orders behind it
ALTER TABLE orders ADD COLUMN gift_wrap boolean;
