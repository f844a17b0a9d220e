package dev.tandem.coordinator.internal.engine;

import dev.tandem.coordinator.internal.operation.AddColumn;
import dev.tandem.coordinator.internal.operation.AlterColumn;
import dev.tandem.coordinator.internal.operation.CreateConstraint;
import dev.tandem.coordinator.internal.operation.CreateIndex;
import dev.tandem.coordinator.internal.operation.CreateTable;
import dev.tandem.coordinator.internal.operation.DropColumn;
import dev.tandem.coordinator.internal.operation.DropConstraint;
import dev.tandem.coordinator.internal.operation.DropTable;
import dev.tandem.coordinator.internal.operation.Operation;
import dev.tandem.coordinator.internal.operation.Reference;
import dev.tandem.coordinator.internal.operation.RenameColumn;
import dev.tandem.coordinator.internal.operation.RenameConstraint;
import dev.tandem.coordinator.internal.operation.RenameTable;
import dev.tandem.coordinator.internal.schema.CatalogSnapshot;
import dev.tandem.coordinator.internal.schema.ConstraintKind;
import dev.tandem.coordinator.internal.schema.SchemaModel;
import dev.tandem.coordinator.internal.schema.TableModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Chooses, per {@code alter_column} (and {@code add_column} and {@code create_constraint} of a check), between a
 * shadow column in the table (in place) and the table-copy strategy, where the dialect has one: a new table in the
 * new shape, filled by key range with {@code INSERT … SELECT}, kept in step by triggers on both tables and swapped in
 * at contract. In place, a change that rewrites the column costs an {@code UPDATE} of every row, about twice a copy's
 * cost on InnoDB, and MariaDB cannot add a check or NOT NULL online, nor restate a column for a new default or comment
 * while the old version still writes it; so every such change, and a check {@code create_constraint} or
 * {@code add_column} adds, goes through the copy where the table allows one. The copy is the whole table's: every
 * operation of the migration on the table is then one that the copy can carry, and all of them go through it (a new
 * column, a unique constraint, a foreign key among them). {@code strategy: copy} or {@code in_place} forces the
 * choice.
 */
final class CopyStrategy {
    /** The integer types MariaDB counts AUTO_INCREMENT in. */
    private static final Pattern INTEGER = Pattern.compile("(?i)(tiny|small|medium|big)?int(eger)?( unsigned)?");
    private final Set<String> copied = new LinkedHashSet<>();
    private final Map<Integer, String> notes = new HashMap<>();
    private final Map<Integer, String> obstacles = new HashMap<>();

    private CopyStrategy() {
    }

    /** The physical tables that are copied. */
    Set<String> copied() {
        return copied;
    }

    /** Which strategy operation {@code index} takes and why, for the plan; null for an operation with no choice. */
    String note(int index) {
        return notes.get(index);
    }

    /** Why operation {@code index}, which the copy could have made online, stays in place; null otherwise. */
    String obstacle(int index) {
        return obstacles.get(index);
    }

    /**
     * @param stacked why no table can be copied because migrations are in flight below this one, or null
     * @throws Refusal when a forced strategy cannot be had
     */
    static CopyStrategy choose(boolean available, String stacked, List<Operation> operations, SchemaModel start) {
        CopyStrategy strategy = new CopyStrategy();
        Map<String, List<Integer>> byTable = new HashMap<>();
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) instanceof AlterColumn alter) {
                byTable.computeIfAbsent(alter.table(), t -> new ArrayList<>()).add(i);
            } else if (operations.get(i) instanceof AddColumn add) {
                byTable.computeIfAbsent(add.table(), t -> new ArrayList<>()).add(i);
            } else if (operations.get(i) instanceof CreateConstraint check && check.type().equals("check")) {
                byTable.computeIfAbsent(check.table(), t -> new ArrayList<>()).add(i);
            } else if (operations.get(i) instanceof RenameConstraint rename && rename.renamesCheck(start)) {
                byTable.computeIfAbsent(rename.table(), t -> new ArrayList<>()).add(i);
            }
        }
        byTable.forEach((table, indexes) -> strategy.choose(available, stacked, operations, start, table, indexes));
        return strategy;
    }

    private void choose(boolean available, String stacked, List<Operation> operations, SchemaModel start,
                        String table, List<Integer> indexes) {
        Set<String> forced = new LinkedHashSet<>();
        boolean rewrites = false;
        boolean addsToFullText = false;
        for (int i : indexes) {
            if (operations.get(i) instanceof AddColumn add) {
                // MariaDB checks a new column's check on every row only while it copies the table; the rest of a new
                // column is added in place, instantly, except to a table with a FULLTEXT index (error 1845)
                rewrites |= add.column().check() != null || notNullTimestampNow(add);
                addsToFullText |= hasFullTextIndex(start, table);
                continue;
            }
            if (!(operations.get(i) instanceof AlterColumn alter)) {
                rewrites = true; // a check on existing rows, or a check's new name: MariaDB makes either only by copying
                continue;
            }
            if (alter.strategy() != null) {
                forced.add(alter.strategy());
            }
            rewrites |= alter.type() != null || alter.nullable() != null || alter.check() != null
                    || alter.defaultValue() != null || alter.comment() != null;
        }
        if (forced.size() > 1) {
            throw new Refusal(indexes.get(0), "the alter_column operations on table '" + table + "' force both"
                    + " strategies; a table is either copied or changed in place within one migration");
        }
        String force = forced.isEmpty() ? null : forced.iterator().next();
        if (AlterColumn.IN_PLACE.equals(force)) {
            indexes.forEach(i -> notes.put(i, "in place (strategy: in_place)"));
            return;
        }
        String obstacle = !available ? "the table-copy strategy is MariaDB's; this database changes every column in place"
                : stacked != null ? stacked : obstacle(operations, start, table, indexes);
        if (AlterColumn.COPY.equals(force)) {
            if (obstacle != null) {
                throw new Refusal(indexes.get(0), "'strategy: copy' cannot copy table '" + table + "': " + obstacle);
            }
            copy(start, table, indexes, "table copy (strategy: copy)");
        } else if (available && (rewrites || addsToFullText)) {
            if (obstacle == null) {
                copy(start, table, indexes, rewrites ? "table copy: the change rewrites every row anyway, and copying"
                        + " into a new table with INSERT … SELECT costs about half an in-place UPDATE of each row"
                        : "table copy: MariaDB adds a column to a table with a FULLTEXT index only by rebuilding it"
                        + " (no ALGORITHM=INSTANT), which in place would block writes");
            } else {
                indexes.forEach(i -> {
                    notes.put(i, "in place: " + obstacle);
                    obstacles.put(i, obstacle);
                });
            }
        }
    }

    /**
     * A new TIMESTAMP column, NOT NULL, with a non-constant default (CURRENT_TIMESTAMP): MariaDB refuses to make it
     * NOT NULL in place once it holds NULLs ("cannot convert NULL to non-constant DEFAULT"), so contract failed on
     * every run; on the copy's empty table it is NOT NULL from the start.
     */
    private static boolean notNullTimestampNow(AddColumn add) {
        return !add.column().isNullable() && add.column().type().strip().toLowerCase(Locale.ROOT).startsWith("timestamp")
                && add.column().defaultExpression() != null && !add.column().defaultExpression().isConstant();
    }

    private static boolean hasFullTextIndex(SchemaModel start, String table) {
        return start.table(table).map(model -> start.originalIndexes(model.physical()).stream()
                .anyMatch(index -> "fulltext".equals(index.method()))).orElse(false);
    }

    private void copy(SchemaModel start, String table, List<Integer> indexes, String note) {
        copied.add(start.table(table).orElseThrow().physical());
        indexes.forEach(i -> notes.put(i, note));
    }

    /** Why the table cannot be copied, or null. */
    private static String obstacle(List<Operation> operations, SchemaModel start, String table, List<Integer> indexes) {
        TableModel model = start.table(table).orElse(null);
        if (model == null) {
            return "the table does not exist before the migration";
        }
        if (model.primaryKey().isEmpty()) {
            return "it has no primary key, which the copy walks and its triggers find rows by";
        }
        if (!model.foreignKeysTo(model.physical()).isEmpty()) {
            return "its own foreign key " + model.foreignKeysTo(model.physical()) + " refers to it, and the copy's key"
                    + " would have to refer to the copy while the backfill fills it";
        }
        List<String> triggers = start.originalTable(model.physical()).map(CatalogSnapshot.Table::triggers)
                .orElse(List.of());
        if (!triggers.isEmpty()) {
            return "it has triggers of its own " + triggers + ", which the copy would not carry: the new version's"
                    + " writes would not fire them, and the swap would leave them behind";
        }
        List<String> foreignUsers = start.originalTable(model.physical()).map(CatalogSnapshot.Table::foreignUsers)
                .orElse(List.of());
        if (!foreignUsers.isEmpty()) {
            return "foreign key(s) " + foreignUsers + " of another database refer to it, which the copy does not see:"
                    + " they would stay with the original at the swap";
        }
        Map<String, List<CatalogSnapshot.Constraint>> referencing = start.originalForeignKeysTo(model.physical());
        for (Map.Entry<String, List<CatalogSnapshot.Constraint>> keys : referencing.entrySet()) {
            String other = start.tableByPhysical(keys.getKey()).map(TableModel::name).orElse(keys.getKey());
            for (CatalogSnapshot.Constraint key : keys.getValue()) {
                if (key.definition() != null
                        && key.definition().toUpperCase(Locale.ROOT).contains("ON UPDATE CASCADE")) {
                    return "foreign key '" + key.name() + "' of table '" + other + "' refers to it ON UPDATE CASCADE:"
                            + " a key the old version changes would reach '" + other + "' before the copy has it, and"
                            + " the key to the copy that '" + other + "' holds meanwhile would refuse the statement";
                }
            }
            for (int i = 0; i < operations.size(); i++) {
                if (names(operations.get(i), other)) {
                    return "foreign key " + keys.getValue().stream().map(CatalogSnapshot.Constraint::name).toList()
                            + " of table '" + other + "' refers to it, and operation " + (i + 1) + " ("
                            + operations.get(i).kind() + ") changes '" + other + "' too, which the key to the copy"
                            + " that '" + other + "' holds meanwhile does not follow";
                }
            }
        }
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operations.get(i);
            if (!indexes.contains(i) && names(operation, table)) {
                return "operation " + (i + 1) + " (" + operation.kind() + ") changes it too, which only the in-place"
                        + " strategy carries";
            }
        }
        for (int i : indexes) {
            Reference reference = operations.get(i) instanceof AlterColumn alter ? alter.references()
                    : operations.get(i) instanceof AddColumn add ? add.column().references() : null;
            if (reference != null && start.table(reference.table()).map(TableModel::physical)
                    .filter(model.physical()::equals).isPresent()) {
                return "operation " + (i + 1) + " adds a foreign key to the table itself, which the copy's key would"
                        + " have to refer to while the backfill fills it";
            }
            if (reference != null && reference.onDelete() != null && !reference.onDelete().equals("RESTRICT")
                    && !reference.onDelete().equals("NO ACTION")) {
                return "operation " + (i + 1) + " adds a foreign key ON DELETE " + reference.onDelete() + ", which"
                        + " would act on the copy's rows only: the table has no such key, and the action fires no"
                        + " triggers";
            }
            if (!(operations.get(i) instanceof AlterColumn alter)) {
                continue;
            }
            CatalogSnapshot.Column column = start.originalColumn(model.physical(), alter.column()).orElse(null);
            if (alter.references() != null && column != null && start.originalConstraints(model.physical(),
                    column.name()).stream().anyMatch(k -> k.kind() == ConstraintKind.FOREIGN_KEY
                    && k.columns().equals(List.of(column.name())))) {
                return "operation " + (i + 1) + " replaces the foreign key of column '" + alter.column() + "', and the"
                        + " copy carries the table's keys as they are";
            }
            if (column != null && column.generated() && !column.autoIncrement()) {
                return "column '" + alter.column() + "' is generated";
            }
            if (column != null && column.autoIncrement() && alter.type() != null
                    && !INTEGER.matcher(alter.type()).matches()) {
                return "column '" + alter.column() + "' is AUTO_INCREMENT, which needs an integer type, not '"
                        + alter.type() + "'";
            }
            if (alter.type() != null && !referencing.isEmpty() && column != null && start.originalIndexes(
                    model.physical(), column.name()).stream().anyMatch(CatalogSnapshot.Index::unique)) {
                return "column '" + alter.column() + "' is a key that foreign keys of " + referencing.keySet()
                        + " may refer to, and a key of theirs to the copy needs the type they have";
            }
        }
        return null;
    }

    /** Whether the operation may change {@code table}: any operation that does not name its tables may. */
    private static boolean names(Operation operation, String table) {
        List<String> named;
        if (operation instanceof AlterColumn o) {
            named = List.of(o.table(), o.references() == null ? "" : o.references().table());
        } else if (operation instanceof AddColumn o) {
            named = List.of(o.table(), o.column().references() == null ? "" : o.column().references().table());
        } else if (operation instanceof DropColumn o) {
            named = List.of(o.table());
        } else if (operation instanceof RenameColumn o) {
            named = List.of(o.table());
        } else if (operation instanceof CreateIndex o) {
            named = List.of(o.table());
        } else if (operation instanceof CreateConstraint o) {
            named = List.of(o.table(), o.references() == null ? "" : o.references().table());
        } else if (operation instanceof DropConstraint o) {
            named = List.of(o.table());
        } else if (operation instanceof RenameConstraint o) {
            named = List.of(o.table());
        } else if (operation instanceof CreateTable o) {
            named = List.of(o.table());
        } else if (operation instanceof DropTable o) {
            named = List.of(o.table());
        } else if (operation instanceof RenameTable o) {
            named = List.of(o.from(), o.to());
        } else {
            return true;
        }
        return named.contains(table);
    }

    /** A forced strategy that cannot be had, for the operation at {@code index}. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int index;

        Refusal(int index, String message) {
            super(message);
            this.index = index;
        }

        int index() {
            return index;
        }
    }
}
