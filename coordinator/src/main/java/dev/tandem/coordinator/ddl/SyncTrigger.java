package dev.tandem.coordinator.ddl;

import dev.tandem.coordinator.sql.SqlExpression;
import java.util.List;

/**
 * One table's sync trigger for one migration. A write made through {@code newVersionSchema} is a write of
 * the new version: {@code down} rules fill the old shape from it. Any other write is from the old version:
 * {@code up} rules fill the new shape. Each rule's expression sees the row's columns as variables named as
 * its own version names them ({@code upVariables} / {@code downVariables}).
 *
 * @param functionSchema where the trigger function lives (Tandem's state schema)
 */
public record SyncTrigger(TableRef table, String functionSchema, String name, String newVersionSchema,
                          List<Variable> upVariables, List<Rule> up,
                          List<Variable> downVariables, List<Rule> down) {

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
