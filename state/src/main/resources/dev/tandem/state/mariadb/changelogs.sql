-- Tandem's record of labelled Liquibase changelogs, outside the versioned layout: the Liquibase module creates
-- it when it first records a changelog's phase.
-- Four key columns of 191 characters fit InnoDB's 3072-byte key in utf8mb4; file paths and ids are shorter.
CREATE TABLE IF NOT EXISTS ${state}.liquibase_changelogs (target_schema VARCHAR(191) NOT NULL, changelog VARCHAR(191) NOT NULL, phase VARCHAR(191) NOT NULL, updated_at TIMESTAMP NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, changelog));
CREATE TABLE IF NOT EXISTS ${state}.liquibase_changesets (target_schema VARCHAR(191) NOT NULL, changelog VARCHAR(191) NOT NULL, filename VARCHAR(191) NOT NULL, id VARCHAR(191) NOT NULL, author VARCHAR(191) NOT NULL, phase VARCHAR(191) NOT NULL, checksum VARCHAR(191) NOT NULL, recorded_at TIMESTAMP NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, filename, id, author));
