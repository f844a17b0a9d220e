package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ColumnDef;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates a table at expand. The old version never sees it (it is new); the new version sees it through
 * its view. A new, empty table can take its constraints at once.
 */
public record CreateTable(String table, List<ColumnSpec> columns, String comment) implements Operation {
    public CreateTable {
        Check.name("table", table);
        columns = Check.nonEmpty("columns", columns);
        Set<String> seen = new HashSet<>();
        for (ColumnSpec column : columns) {
            if (!seen.add(column.name())) {
                throw new IllegalArgumentException("column '" + column.name() + "' is listed twice");
            }
            if (column.isPrimaryKey() && Boolean.TRUE.equals(column.nullable())) {
                throw new IllegalArgumentException("column '" + column.name() + "' is in the primary key, "
                        + "which cannot be nullable");
            }
        }
    }

    @Override
    public String kind() {
        return "create_table";
    }

    @Override
    public void apply(SchemaModel model) {
        Check.noTable(model, table);
        if (model.hasRelationName(table)) {
            throw new OperationException("an index named '" + table + "' already exists");
        }
        List<ColumnModel> models = columns.stream()
                .map(c -> new ColumnModel(c.name(), c.name(), c.type(), c.isNullable(), c.defaultValue()))
                .toList();
        TableModel created = new TableModel(table, table, models, primaryKey(), Set.of());
        if (!primaryKey().isEmpty()) {
            // PostgreSQL's name for the key; it names the key's index as well
            created.addConstraint(Names.bounded(table + "_pkey"));
            model.addIndex(Names.bounded(table + "_pkey"), table);
        }
        for (ColumnSpec column : columns) {
            if (column.references() != null) {
                TableModel referenced = column.references().table().equals(table) ? created
                        : Check.table(model, column.references().table());
                if (referenced == created) {
                    Check.column(referenced, column.references().column());
                } else {
                    Check.referencedColumn(model, referenced, column.references().column());
                }
                Check.freeConstraintName(model, created, column.foreignKeyName(table), false);
                created.addForeignKey(column.foreignKeyName(table), referenced.physical());
            }
            if (column.check() != null) {
                Check.freeConstraintName(model, created, column.checkName(table), false);
                created.addConstraint(column.checkName(table));
            }
            if (column.isUnique()) {
                Check.freeConstraintName(model, created, column.uniqueName(table), true);
                created.addConstraint(column.uniqueName(table));
                model.addIndex(column.uniqueName(table), table);
            }
        }
        model.addTable(created);
    }

    @Override
    public void expand(PhaseContext context) {
        TableRef ref = context.table(table);
        context.inTransaction(new Ddl.CreateTable(ref, columns.stream()
                .map(c -> new ColumnDef(c.name(), c.type(), c.defaultExpression(), !c.isNullable(), c.comment()))
                .toList(), primaryKey()));
        for (ColumnSpec column : columns) {
            if (column.check() != null) {
                context.inTransaction(new Ddl.AddConstraint(ref,
                        ConstraintDef.check(column.checkName(table), column.checkExpression()), false));
            }
            if (column.isUnique()) {
                context.inTransaction(new Ddl.AddConstraint(ref,
                        ConstraintDef.unique(column.uniqueName(table), List.of(column.name())), false));
            }
            if (column.references() != null) {
                TableModel referenced = Check.table(context.after(), column.references().table());
                context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.foreignKey(
                        column.foreignKeyName(table), List.of(column.name()),
                        context.table(referenced.physical()),
                        List.of(Check.column(referenced, column.references().column()).physical()),
                        column.references().onDelete()), false));
            }
            if (column.comment() != null) {
                context.inTransaction(new Ddl.Comment(ref, column.name(), column.comment(), true));
            }
        }
        if (comment != null) {
            context.inTransaction(new Ddl.Comment(ref, null, comment));
        }
    }

    @Override
    public void contract(PhaseContext context) {
        // the table already has its final shape
    }

    @Override
    public void rollback(PhaseContext context) {
        context.inTransaction(new Ddl.DropTable(context.table(table)));
    }

    private List<String> primaryKey() {
        return columns.stream().filter(ColumnSpec::isPrimaryKey).map(ColumnSpec::name).toList();
    }
}
