-- The instance registry, outside the versioned layout: the dual-write library's PhaseGuard creates it when an
-- application first starts, and the coordinator reads it where it exists. Safe to run concurrently.
-- Explicit defaults keep MariaDB from giving the first TIMESTAMP column ON UPDATE CURRENT_TIMESTAMP.
CREATE DATABASE IF NOT EXISTS ${state} CHARACTER SET utf8mb4;
CREATE TABLE IF NOT EXISTS ${state}.instances (instance_id VARCHAR(255) NOT NULL PRIMARY KEY, target_schema VARCHAR(64) NOT NULL, version VARCHAR(255) NOT NULL, host VARCHAR(255) NOT NULL, started_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), last_seen TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6));
