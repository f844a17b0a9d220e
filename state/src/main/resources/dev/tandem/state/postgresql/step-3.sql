-- Layout 3: the history is indexed for what every application instance asks at start (PhaseGuard): the latest
-- 'expanded' and 'backfilled' events of each migration of a schema.
CREATE INDEX IF NOT EXISTS history_migration ON ${state}.history (target_schema, migration, event, id);
