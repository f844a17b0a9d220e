package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.PlannedStatement;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.dialect.Lock;
import java.util.List;

/**
 * One statement of a phase, rendered for a dialect.
 *
 * @param origin        what asked for it, e.g. "operation 2 (add_column)", for messages and plans
 * @param transactional false when the database refuses it inside a transaction block
 */
public record Action(Stage stage, String origin, Ddl ddl, List<String> sql, Lock lock, boolean transactional) {
    public PlannedStatement planned() {
        return new PlannedStatement(origin, sql, lock.mode(), lock.blocksWrites(), lock.effect(), transactional);
    }
}
