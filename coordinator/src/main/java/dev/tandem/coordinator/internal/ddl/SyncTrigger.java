package dev.tandem.coordinator.internal.ddl;

import dev.tandem.coordinator.internal.sql.SqlExpression;
import java.util.List;
import java.util.stream.Stream;

/**
 * One table's sync trigger for one migration. A write made through {@code newVersionSchema} is a write of
 * the new version: {@code down} rules fill the old shape from it. Any other write is from the old version:
 * {@code up} rules fill the new shape. Each rule's expression sees the row's columns as variables named as
 * its own version names them ({@code upVariables} / {@code downVariables}), and may name the table itself to refer
 * to the row being written ({@link SqlExpression#wrapped(String, boolean, SqlExpression.RowReference)}).
 *
 * @param functionSchema where the trigger function lives (Tandem's state schema)
 * @param stackedVersionSchemas the version schemas of the migrations stacked on this one: they show its new shape,
 *                              so their writes are new-version writes too
 * @param level                 how many migrations this one is stacked on (0: none). The trigger of a stacked
 *                              migration is split in two: its {@code down} part fires before the triggers of the
 *                              migrations below it, its {@code up} part after them (PostgreSQL: by their names;
 *                              MariaDB: by where each is put), so each write's values are computed along the stack
 *                              from the version that wrote it
 * @param newVersionTable the table's name in the new version, as {@code down} names it ({@code up} names it as
 *                        {@code table} does)
 */
public record SyncTrigger(TableRef table, String functionSchema, String name, String newVersionSchema,
                          List<String> stackedVersionSchemas, int level, List<Variable> upVariables, List<Rule> up,
                          List<Variable> downVariables, List<Rule> down, String newVersionTable) {

    /** Every version schema whose writes are new-version writes: the migration's own first. */
    public List<String> newVersionSchemas() {
        return Stream.concat(Stream.of(newVersionSchema),
                stackedVersionSchemas.stream()).toList();
    }

    /** The table's name as the rules of one direction name it. */
    public String tableName(boolean down) {
        return down ? newVersionTable : table.name();
    }

    /** The name the new version gives {@code rule}'s target column. */
    public String newVersionName(Rule rule) {
        return downVariables.stream().filter(v -> v.column().equals(rule.targetColumn())).map(Variable::name)
                .findFirst().orElse(rule.targetColumn());
    }

    /** A row column made visible to an expression under {@code name}. */
    public record Variable(String name, String column, String type) {
    }

    /**
     * Sets {@code targetColumn} (physical) from {@code expression}. {@code required}: the new version holds
     * the target NOT NULL, so a NULL in it marks a row the backfill has not reached yet.
     */
    public record Rule(String targetColumn, SqlExpression expression, boolean required) {
    }
}
