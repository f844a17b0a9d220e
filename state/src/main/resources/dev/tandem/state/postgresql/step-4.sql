-- Layout 4: how a migration's running backfills are steered from outside (migrate control): paused or not, and the
-- maximum rate and worker count that replace each backfill process's own while set (NULL: the process's own).
CREATE TABLE IF NOT EXISTS ${state}.backfill_control (target_schema text NOT NULL, migration text NOT NULL, paused boolean NOT NULL DEFAULT false, max_rate bigint, workers int, changed_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (target_schema, migration));
