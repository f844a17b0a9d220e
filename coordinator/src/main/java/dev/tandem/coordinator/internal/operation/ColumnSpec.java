package dev.tandem.coordinator.internal.operation;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.tandem.coordinator.internal.sql.SqlExpression;

/** A column in {@code create_table} and {@code add_column}. */
public record ColumnSpec(String name, String type, Boolean nullable,
                         @com.fasterxml.jackson.annotation.JsonProperty("default")
                         @JsonDeserialize(using = PerDatabase.Expression.class) String defaultValue, Boolean primaryKey,
                         UniqueSpec unique, CheckSpec check, Reference references, String comment) {
    public ColumnSpec {
        Check.name("name", name);
        type = Check.type("type", type);
        Check.expression("default", defaultValue);
    }

    public boolean isNullable() {
        return nullable == null ? !isPrimaryKey() : nullable;
    }

    public boolean isPrimaryKey() {
        return Boolean.TRUE.equals(primaryKey);
    }

    public boolean isUnique() {
        return unique != null && unique.unique();
    }

    public SqlExpression defaultExpression() {
        return Check.expression("default", defaultValue);
    }

    public SqlExpression checkExpression() {
        return check == null ? null : check.expression();
    }

    /** The name of the check constraint it gets on {@code table}. */
    public String checkName(String table) {
        return check.nameOn(table, name);
    }

    /** The name of the unique constraint it gets on {@code table}. */
    public String uniqueName(String table) {
        return unique.nameOn(table, name);
    }

    /** The name of the foreign key it gets on {@code table}. */
    public String foreignKeyName(String table) {
        return references.nameOn(table, name);
    }
}
