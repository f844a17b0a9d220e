-- tandem:disable TDM105 reason: the validated check proves NOT NULL, so SET NOT NULL does not scan
SET lock_timeout = '500ms';
SET statement_timeout = '10min';
BEGIN;
ALTER TABLE customers ADD CONSTRAINT customers_phone_not_null CHECK (phone IS NOT NULL) NOT VALID;
COMMIT;
ALTER TABLE customers VALIDATE CONSTRAINT customers_phone_not_null;
ALTER TABLE customers ALTER COLUMN phone SET NOT NULL;
