package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.migration.Migration;
import dev.tandem.coordinator.migration.MigrationOperation;
import java.util.List;

/**
 * One step of a migration. Each operation says, by itself, what it changes in the schema model and which
 * statements each phase needs; the phase engine never looks at which operation it runs.
 *
 * <p>Every method is called afresh for every phase, with models rebuilt from the stored catalog snapshot,
 * so an operation keeps no state between phases.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
        @JsonSubTypes.Type(value = CreateTable.class, name = "create_table"),
        @JsonSubTypes.Type(value = DropTable.class, name = "drop_table"),
        @JsonSubTypes.Type(value = RenameTable.class, name = "rename_table"),
        @JsonSubTypes.Type(value = AddColumn.class, name = "add_column"),
        @JsonSubTypes.Type(value = DropColumn.class, name = "drop_column"),
        @JsonSubTypes.Type(value = RenameColumn.class, name = "rename_column"),
        @JsonSubTypes.Type(value = AlterColumn.class, name = "alter_column"),
        @JsonSubTypes.Type(value = MoveColumn.class, name = "move_column"),
        @JsonSubTypes.Type(value = NormalizeColumn.class, name = "normalize_column"),
        @JsonSubTypes.Type(value = CreateIndex.class, name = "create_index"),
        @JsonSubTypes.Type(value = DropIndex.class, name = "drop_index"),
        @JsonSubTypes.Type(value = CreateConstraint.class, name = "create_constraint"),
        @JsonSubTypes.Type(value = DropConstraint.class, name = "drop_constraint"),
        @JsonSubTypes.Type(value = RenameConstraint.class, name = "rename_constraint"),
        @JsonSubTypes.Type(value = RawSql.class, name = "sql"),
})
public interface Operation extends MigrationOperation {
    /** The operations of {@code migration}: the only ones its parser makes. */
    static List<Operation> of(Migration migration) {
        return migration.operations().stream().map(Operation.class::cast).toList();
    }

    /**
     * Checks the operation against {@code model} (the schema as the new version sees it just before this
     * operation) and changes the model as the operation means.
     *
     * @throws OperationException when the operation cannot apply to this schema
     */
    void apply(SchemaModel model);

    /** Additive statements, sync rules and backfill targets that let old and new version run side by side. */
    void expand(PhaseContext context);

    /** Statements that remove the old shape once no old version runs. */
    void contract(PhaseContext context);

    /** Statements that undo {@link #expand}, each safe to run when expand stopped halfway. */
    void rollback(PhaseContext context);
}
