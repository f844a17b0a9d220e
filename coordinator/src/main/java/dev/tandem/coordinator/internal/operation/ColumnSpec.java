package dev.tandem.coordinator.internal.operation;

import dev.tandem.coordinator.internal.sql.SqlExpression;

/** A column in {@code create_table} and {@code add_column}. */
public record ColumnSpec(String name, String type, Boolean nullable,
                         @com.fasterxml.jackson.annotation.JsonProperty("default")
                         @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = PerDatabase.Expression.class) String defaultValue, Boolean primaryKey,
                         Boolean unique, @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = PerDatabase.Expression.class) String check, Reference references, String comment) {
    public ColumnSpec {
        Check.name("name", name);
        type = Check.type("type", type);
        Check.expression("default", defaultValue);
        Check.expression("check", check);
    }

    public boolean isNullable() {
        return nullable == null ? !isPrimaryKey() : nullable;
    }

    public boolean isPrimaryKey() {
        return Boolean.TRUE.equals(primaryKey);
    }

    public boolean isUnique() {
        return Boolean.TRUE.equals(unique);
    }

    public SqlExpression defaultExpression() {
        return Check.expression("default", defaultValue);
    }

    public SqlExpression checkExpression() {
        return Check.expression("check", check);
    }
}
