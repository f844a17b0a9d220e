package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.ddl.TableRef;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.List;
import java.util.Locale;

/**
 * Adds a check, unique or foreign key constraint over one or more columns. Check and foreign key are added
 * NOT VALID at expand (enforced on new writes from both versions, no scan) and validated at contract without
 * blocking writes; unique is built as a unique index concurrently and attached as a constraint at contract.
 */
public record CreateConstraint(String table, String name, String type, List<String> columns,
                               @JsonDeserialize(using = PerDatabase.Expression.class) String check,
                               ConstraintReference references) implements Operation {
    public CreateConstraint {
        Check.name("table", table);
        Check.name("name", name);
        type = Check.required("type", type).toLowerCase(Locale.ROOT);
        switch (type) {
            case "check" -> {
                Check.required("check", check);
                Check.expression("check", check);
                refuse(type, "columns", columns);
                refuse(type, "references", references);
                columns = List.of();
            }
            case "unique" -> {
                columns = Check.nonEmpty("columns", columns);
                refuse(type, "check", check);
                refuse(type, "references", references);
            }
            case "foreign_key" -> {
                columns = Check.nonEmpty("columns", columns);
                Check.required("references", references);
                refuse(type, "check", check);
                if (references.columns().size() != columns.size()) {
                    throw new IllegalArgumentException("'references.columns' must name as many columns as 'columns'");
                }
            }
            default -> throw new IllegalArgumentException("'type' must be check, unique or foreign_key, not '" + type + "'");
        }
        columns.forEach(c -> Check.name("columns", c));
    }

    private static void refuse(String type, String field, Object value) {
        if (value != null) {
            throw new IllegalArgumentException("a " + type.replace('_', ' ') + " constraint takes no '" + field + "'");
        }
    }

    @Override
    public String kind() {
        return "create_constraint";
    }

    @Override
    public void apply(SchemaModel model) {
        TableModel target = Check.table(model, table);
        columns.forEach(c -> Check.column(target, c));
        if (target.hasConstraint(name) || model.hasRelationName(name)) {
            throw new OperationException("a constraint, index or table named '" + name + "' already exists");
        }
        if (references != null) {
            TableModel referenced = Check.table(model, references.table());
            references.columns().forEach(c -> Check.referencedColumn(model, referenced, c));
            target.addForeignKey(name, referenced.physical());
        } else {
            target.addConstraint(name);
        }
        if (type.equals("unique")) {
            model.addIndex(name, target.physical());
        }
    }

    @Override
    public void expand(PhaseContext context) {
        TableModel after = Check.table(context.after(), table);
        TableRef ref = context.table(after.physical());
        List<String> physical = columns.stream().map(c -> Check.column(after, c).physical()).toList();
        switch (type) {
            case "check" -> {
                ConstraintDef constraint = ConstraintDef.check(name, Columns.physical(after, Check.expression("check",
                        check)));
                if (context.before().copied(after.physical())) {
                    context.copyConstraint(after.physical(), constraint);
                } else {
                    context.inTransaction(new Ddl.AddConstraint(ref, constraint, true));
                }
            }
            case "unique" -> context.afterTransaction(new Ddl.CreateIndex(ref, name, physical, true, null, null));
            default -> {
                TableModel referenced = Check.table(context.after(), references.table());
                context.inTransaction(new Ddl.AddConstraint(ref, ConstraintDef.foreignKey(name, physical,
                        context.table(referenced.physical()),
                        references.columns().stream().map(c -> Check.column(referenced, c).physical()).toList(),
                        references.onDelete()), true));
            }
        }
    }

    @Override
    public void contract(PhaseContext context) {
        TableRef ref = context.table(Check.table(context.before(), table).physical());
        if (context.before().copied(Check.table(context.before(), table).physical())) {
            return; // the check came with the copy, which contract swaps in
        }
        if (type.equals("unique")) {
            context.inTransaction(new Ddl.AddUniqueUsingIndex(ref, name));
        } else {
            context.beforeTransaction(new Ddl.ValidateConstraint(ref, name));
        }
    }

    @Override
    public void rollback(PhaseContext context) {
        TableRef ref = context.table(Check.table(context.before(), table).physical());
        if (context.before().copied(Check.table(context.before(), table).physical())) {
            return; // the check goes with the copy
        }
        if (type.equals("unique")) {
            context.beforeTransaction(new Ddl.DropIndex(ref, name));
        } else {
            context.inTransaction(new Ddl.DropConstraint(ref, name));
        }
    }
}
