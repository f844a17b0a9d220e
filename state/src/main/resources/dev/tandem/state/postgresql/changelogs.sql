-- Tandem's record of labelled Liquibase changelogs, outside the versioned layout: the Liquibase module creates
-- it when it first records a changelog's phase.
CREATE TABLE IF NOT EXISTS ${state}.liquibase_changelogs (target_schema text NOT NULL, changelog text NOT NULL, phase text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, changelog));
CREATE TABLE IF NOT EXISTS ${state}.liquibase_changesets (target_schema text NOT NULL, changelog text NOT NULL, filename text NOT NULL, id text NOT NULL, author text NOT NULL, phase text NOT NULL, checksum text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, filename, id, author));
