package dev.tandem.coordinator;

import java.util.List;

/**
 * One statement of a {@link PlannedPhase}, as the database's dialect renders it.
 *
 * @param origin        what asked for it, e.g. "operation 2 (add_column)"
 * @param sql           the SQL, one or more statements run as one step
 * @param lock          the database's name for the lock it takes, e.g. "ACCESS EXCLUSIVE"
 * @param blocksWrites  whether application writes wait while that lock is held (the lock timeout guards these)
 * @param lockEffect    what the lock blocks and for how long, in words
 * @param transactional false when the database refuses it inside a transaction block
 */
public record PlannedStatement(String origin, List<String> sql, String lock, boolean blocksWrites, String lockEffect,
                               boolean transactional) {
    public PlannedStatement {
        sql = List.copyOf(sql);
    }
}
