package dev.tandem.coordinator.internal.schema;

/**
 * A column as one version sees it. {@code physical} is the column that holds the data during the dual-write
 * window (the original column, a new column, or a shadow copy); {@code name} is what the version calls it.
 */
public final class ColumnModel {
    private final String physical;
    private String name;
    private String type;
    private boolean nullable;
    private String defaultValue;

    public ColumnModel(String physical, String name, String type, boolean nullable, String defaultValue) {
        this.physical = physical;
        this.name = name;
        this.type = type;
        this.nullable = nullable;
        this.defaultValue = defaultValue;
    }

    public ColumnModel copy() {
        return new ColumnModel(physical, name, type, nullable, defaultValue);
    }

    public String physical() {
        return physical;
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public boolean nullable() {
        return nullable;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public void rename(String newName) {
        this.name = newName;
    }

    public void setType(String type) {
        this.type = type;
    }

    public void setNullable(boolean nullable) {
        this.nullable = nullable;
    }

    public void setDefaultValue(String defaultValue) {
        this.defaultValue = defaultValue;
    }
}
