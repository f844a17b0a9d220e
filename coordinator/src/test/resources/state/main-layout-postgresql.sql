-- The state layout exactly as Tandem's main (commit daa738d, layout 2) creates it, the state schema written
-- ${state}: the coordinator's install (PostgresStateStore.installStatements()), the dual-write library's
-- registry (PostgresStateSql.createInstancesTable) and the Liquibase module's changelog tables
-- (PostgresChangelogState via ChangelogState.install). Generated from that code; never edit it: it stands
-- for databases that exist.
SELECT pg_advisory_xact_lock(1952542308, 0);
CREATE SCHEMA IF NOT EXISTS ${state};
CREATE TABLE IF NOT EXISTS ${state}."layout" (version int NOT NULL);
CREATE TABLE IF NOT EXISTS ${state}."migrations" (target_schema text NOT NULL, name text NOT NULL, source text NOT NULL, checksum text NOT NULL, phase text NOT NULL, definition text NOT NULL, snapshot jsonb NOT NULL, version_schema text NOT NULL, previous_version_schema text, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, name));
CREATE TABLE IF NOT EXISTS ${state}."history" (id bigserial PRIMARY KEY, target_schema text NOT NULL, migration text NOT NULL, event text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp(), detail text);
CREATE TABLE IF NOT EXISTS ${state}."steps" (target_schema text NOT NULL, migration text NOT NULL, step text NOT NULL, done_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (target_schema, migration, step));
CREATE TABLE IF NOT EXISTS ${state}."backfill_tables" (target_schema text NOT NULL, migration text NOT NULL, table_name text NOT NULL, estimate bigint NOT NULL, planned_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (target_schema, migration, table_name));
CREATE TABLE IF NOT EXISTS ${state}."backfill_ranges" (target_schema text NOT NULL, migration text NOT NULL, table_name text NOT NULL, range_no int NOT NULL, lower_key text, upper_key text, last_key text, rows_done bigint NOT NULL DEFAULT 0, batches int NOT NULL DEFAULT 0, paused_ms bigint NOT NULL DEFAULT 0, done boolean NOT NULL DEFAULT false, owner text, owner_pid int, owner_started timestamptz, expires_at timestamptz, updated_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (target_schema, migration, table_name, range_no));
INSERT INTO ${state}."layout" SELECT 2 WHERE NOT EXISTS (SELECT 1 FROM ${state}."layout");
SELECT pg_advisory_xact_lock(1952542308, 0);
CREATE SCHEMA IF NOT EXISTS ${state};
CREATE TABLE IF NOT EXISTS ${state}."instances" (instance_id text PRIMARY KEY, target_schema text NOT NULL, version text NOT NULL, host text NOT NULL, started_at timestamptz NOT NULL, last_seen timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS ${state}."liquibase_changelogs" (target_schema text NOT NULL, changelog text NOT NULL, phase text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, changelog));
CREATE TABLE IF NOT EXISTS ${state}."liquibase_changesets" (target_schema text NOT NULL, changelog text NOT NULL, filename text NOT NULL, id text NOT NULL, author text NOT NULL, phase text NOT NULL, checksum text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (target_schema, filename, id, author));
