package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.Map;

/**
 * The column {@link AlterColumn} changes, as one phase sees it.
 *
 * @param table           the table's name in the migration
 * @param column          the column's name in the migration
 * @param original        the column before the operation
 * @param altered         the column after it: the shadow when the change needs one, else the original itself
 * @param constraintNames the constraints the shadow gets: final name to the name it has until contract
 */
record AlteredColumn(String table, String column, TableModel before, TableModel after, ColumnModel original,
                     ColumnModel altered, TableRef ref, Map<String, String> constraintNames) {

    boolean shadowed() {
        return !original.physical().equals(altered.physical());
    }

    /** The altered column's physical name: the shadow's, or the original's when there is no shadow. */
    String physical() {
        return altered.physical();
    }

    /** The name the altered column has at this point of the phase (the shadow's final name, once renamed). */
    String current(PhaseContext context) {
        return context.column(before.physical(), altered.physical());
    }

    /** The name the constraint finally called {@code name} has until contract. */
    String windowName(String name) {
        return constraintNames.get(name);
    }
}
