-- The state schema and the table that records its layout version; run before the steps, under the install lock.
CREATE SCHEMA IF NOT EXISTS ${state};
CREATE TABLE IF NOT EXISTS ${state}.layout (version int NOT NULL);
