-- The state database and the table that records its layout version; run before the steps, under the install lock.
-- Its one row is also the instance registry's lock (LOCK IN SHARE MODE / FOR UPDATE).
CREATE DATABASE IF NOT EXISTS ${state} CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS ${state}.layout (version INT NOT NULL PRIMARY KEY);
