SET lock_timeout = '500ms';
SET statement_timeout = '10min';
CREATE TABLE IF NOT EXISTS coupons (id bigserial PRIMARY KEY, code text NOT NULL);
