package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.BackfillTarget;
import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;
import java.util.Optional;

/**
 * What an operation sees and may do in one phase. Statements are collected, not run: the phase engine runs
 * them later, in order, inside or around the phase's one short transaction.
 */
public interface PhaseContext {

    /** The schema as the new version sees it just before this operation. */
    SchemaModel before();

    /** The schema as the new version sees it just after this operation. */
    SchemaModel after();

    /** The schema as the new version sees it once the whole migration applies. */
    SchemaModel end();

    /** The name of the migration, usable in generated object names. */
    String migrationName();

    /** The new version's view of the physical table, which stays after contract. */
    TableRef versionView(String physicalTable);

    /** The schema (a database on MariaDB) of the new version's views: writes through it are the new version's. */
    String versionSchema();

    /** Where trigger functions live (Tandem's state schema). */
    String functionSchema();

    /**
     * The physical table, under the name it has at this point of the phase. During contract a table renamed
     * by an earlier operation is returned under its new name.
     */
    TableRef table(String physicalTable);

    /** The name the physical column has at this point of the phase (see {@link #table}). */
    String column(String physicalTable, String physicalColumn);

    /** Runs before the phase's transaction, each statement on its own (validations, concurrent index builds). */
    void beforeTransaction(Ddl statement);

    /** Runs inside the phase's one transaction, under a short lock timeout. */
    void inTransaction(Ddl statement);

    /** Runs after the phase's transaction, each statement on its own. */
    void afterTransaction(Ddl statement);

    /** During contract: renames a physical column to {@code newName} unless it already has it. */
    void renameColumn(String physicalTable, String physicalColumn, String newName);

    /** During contract: drops a physical column unless an earlier operation dropped it. */
    void dropColumn(String physicalTable, String physicalColumn);

    /** During contract: renames a physical table unless it already has that name. */
    void renameTable(String physicalTable, String newName);

    /** Old-version writes set {@code targetColumn} to {@code up}, evaluated over the old version's row. */
    void syncUp(String physicalTable, String targetColumn, SqlExpression up);

    /** New-version writes set {@code targetColumn} to {@code down}, evaluated over the new version's row. */
    void syncDown(String physicalTable, String targetColumn, SqlExpression down);

    /** Existing rows need {@code targetColumn} filled from {@code up} by the backfill phase. */
    void backfill(String physicalTable, String targetColumn, SqlExpression up);

    /**
     * Existing rows of {@code physicalTable} that hold a value in one of {@code columns} need a row in another table
     * ({@link BackfillTarget.RowCopy}), made by the backfill phase.
     */
    void copyRows(String physicalTable, BackfillTarget.RowCopy copy);

    /**
     * With the table-copy strategy ({@link SchemaModel#copied}): the copy's column is {@code definition}, filled from the old version's row by {@code up} and the original's from the new
     * version's row by {@code down} (null for a column only the copy has), and the copy gets {@code constraints}
     * (checks, unique constraints, foreign keys).
     */
    void copyColumn(String physicalTable, ColumnDef definition, SqlExpression up, SqlExpression down,
                    List<ConstraintDef> constraints);

    /** With the table-copy strategy ({@link SchemaModel#copied}): the copy gets {@code constraint}. */
    void copyConstraint(String physicalTable, ConstraintDef constraint);

    /** With the table-copy strategy: the copy has the table's check {@code from} under the name {@code to}. */
    void renameCopiedCheck(String physicalTable, String from, String to);

    /** The new version's view supplies this default for the column on insert. */
    void versionDefault(String physicalTable, String physicalColumn, SqlExpression value);

    /** The name the new version gives a physical column once the migration completes; empty when it drops it. */
    default Optional<String> finalColumnName(String physicalTable, String physicalColumn) {
        return end().tableByPhysical(physicalTable)
                .flatMap(t -> t.columnByPhysical(physicalColumn))
                .map(dev.tandem.coordinator.internal.schema.ColumnModel::name);
    }

    /** The name the new version gives a physical table once the migration completes; empty when it drops it. */
    default Optional<String> finalTableName(String physicalTable) {
        return end().tableByPhysical(physicalTable).map(dev.tandem.coordinator.internal.schema.TableModel::name);
    }
}
