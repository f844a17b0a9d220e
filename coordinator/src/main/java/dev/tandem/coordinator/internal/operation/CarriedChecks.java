package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.ddl.ConstraintDef;
import dev.tandem.coordinator.internal.ddl.Ddl;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ColumnModel;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.coordinator.internal.schema.Names;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The original's CHECK constraints, which would go with the original column at contract: each is added again over
 * the shadow (where it named the original) NOT VALID at expand under a temporary name, so that the new version's writes
 * meet it too; validated before contract, unless the original never was; and takes the original's name at contract,
 * once the original went with its column. A check that also names a column another operation replaces is not carried.
 */
record CarriedChecks() implements ColumnChange {

    @Override
    public void expand(AlteredColumn column, PhaseContext context) {
        for (Carried check : of(context.before(), column.before(), column.original())) {
            context.inTransaction(new Ddl.AddConstraint(column.ref(), ConstraintDef.check(copyName(check),
                    check.condition().renameColumns(Map.of(column.original().physical(), column.physical()))), true));
        }
    }

    @Override
    public void validate(AlteredColumn column, PhaseContext context) {
        for (Carried check : of(context.before(), column.before(), column.original())) {
            if (check.validated()) {
                context.beforeTransaction(new Ddl.ValidateConstraint(column.ref(), copyName(check)));
            }
        }
    }

    @Override
    public void contract(AlteredColumn column, PhaseContext context) {
        for (Carried check : of(context.before(), column.before(), column.original())) {
            context.inTransaction(new Ddl.RenameConstraint(column.ref(), copyName(check), check.name(),
                    ConstraintDef.Kind.CHECK));
        }
    }

    /** A check to carry: its name, its condition over the original's columns, and whether it was validated. */
    record Carried(String name, SqlExpression condition, boolean validated) {
    }

    /**
     * The original's checks over {@code column} that its shadow gets a copy of: those the catalog shows as
     * {@code CHECK (condition)}, maybe {@code NOT VALID} (not {@code NO INHERIT}), whose other columns {@code table}
     * still has as they were (no earlier operation replaced them).
     */
    static List<Carried> of(SchemaModel model, TableModel table, ColumnModel column) {
        return model.originalConstraints(table.physical(), column.physical()).stream()
                .filter(k -> k.kind() == ConstraintKind.CHECK)
                .filter(k -> k.columns().stream().allMatch(c -> c.equals(column.physical())
                        || table.columnByPhysical(c).isPresent()))
                .flatMap(k -> parse(k).stream()).toList();
    }

    private static Optional<Carried> parse(CatalogSnapshot.Constraint constraint) {
        String definition = constraint.definition() == null ? "" : constraint.definition().strip();
        if (!definition.regionMatches(true, 0, "CHECK (", 0, 7)) {
            return Optional.empty();
        }
        int end = closingParenthesis(definition, 6);
        if (end < 0) {
            return Optional.empty();
        }
        String rest = definition.substring(end + 1).strip();
        if (!rest.isEmpty() && !rest.equalsIgnoreCase("NOT VALID")) {
            return Optional.empty();
        }
        return Optional.of(new Carried(constraint.name(),
                SqlExpression.fromCatalog(definition.substring(7, end)), rest.isEmpty()));
    }

    /** The index of the ')' that closes the '(' at {@code open}, outside quoted strings and names; -1 if none. */
    private static int closingParenthesis(String text, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0; // a doubled quote closes and opens again
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String copyName(Carried check) {
        return Names.bounded("_tandem_" + check.name());
    }
}
