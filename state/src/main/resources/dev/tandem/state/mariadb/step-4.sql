-- Layout 4: how a migration's running backfills are steered from outside (migrate control): paused or not, and the
-- maximum rate and worker count that replace each backfill process's own while set (NULL: the process's own).
CREATE TABLE IF NOT EXISTS ${state}.backfill_control (target_schema VARCHAR(64) NOT NULL, migration VARCHAR(255) NOT NULL, paused BOOLEAN NOT NULL DEFAULT FALSE, max_rate BIGINT, workers INT, changed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (target_schema, migration));
