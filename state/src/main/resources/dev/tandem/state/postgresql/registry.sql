-- The instance registry, outside the versioned layout: the dual-write library's PhaseGuard creates it when an
-- application first starts, and the coordinator reads it where it exists. Safe to run concurrently.
CREATE SCHEMA IF NOT EXISTS ${state};
CREATE TABLE IF NOT EXISTS ${state}.instances (instance_id text PRIMARY KEY, target_schema text NOT NULL, version text NOT NULL, host text NOT NULL, started_at timestamptz NOT NULL, last_seen timestamptz NOT NULL);
